package org.jlip.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jlip.certify.CertificateRule;
import org.jlip.data.Dataset;
import org.jlip.data.FashionMnist;
import org.jlip.data.Split;
import org.jlip.export.CertifyResult;
import org.jlip.export.ExportedModel;
import org.junit.jupiter.api.Test;

/**
 * {@link Certifier} against independent computations: the certify signature a jlip export computes in its own
 * graph, and the logits and nominal certificates the fixture README measured on deel-lip files with Keras.
 */
class CertifierTest {
  private static final Path EXPORT = Path.of("savedmodels", "fmnist-hkr");
  private static final Path DEEL_LIP = Path.of("..", "shared", "models", "python", "deel_lip_keras3");

  /** x[i] = (i % 7) / 7 over 28x28: the fixture README's pattern (the same values NHWC and NCHW with 1 channel). */
  private static float[] pattern() {
    float[] x = new float[28 * 28];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i % 7) / 7f;
    }
    return x;
  }

  @Test
  void anExportGivesWhatItsOwnCertifySignatureComputes() throws IOException {
    Dataset test = FashionMnist.load(Split.TEST);
    int n = 300;
    float[] x = Arrays.copyOf(test.images(), n * test.imageSize());
    try (Certifier certifier = Certifier.open(EXPORT); ExportedModel graph = ExportedModel.load(EXPORT)) {
      List<Certified> served = certifier.certify(x, n);
      CertifyResult expected = graph.certify(x, n);
      assertEquals(CertificateRule.DISJOINT, certifier.rule());
      assertEquals(1.0, certifier.nominalLipschitz());
      assertTrue(certifier.lipschitz() > 1, "the measured bound of the committed model is 1.0747");
      for (int i = 0; i < n; i++) {
        Certified c = served.get(i);
        assertEquals(expected.labels()[i], c.label(), "sample " + i);
        assertEquals(expected.radii()[i], c.radius(), 1e-5, "sample " + i);
        assertArrayEquals(Arrays.copyOfRange(expected.logits(), i * 10, i * 10 + 10), c.logits(), 1e-5f);
      }
      assertEquals(served.get(7).radius(), certifier.certify(Arrays.copyOfRange(x, 7 * 784, 8 * 784)).radius(),
          1e-6);
    }
  }

  /**
   * deel-lip files from Python: the README's Keras logits; the dense model's radius at most its nominal certificate
   * (L = 1) and within 2% of it (its layers' norms are 1.000-1.004); the conv model's |f| / L with its measured
   * bound, which its convolutions' coefficient leaves a few percent above 1.
   */
  @Test
  void deelLipFilesGiveKerasLogitsAndRadiiJustUnderTheNominalCertificate() throws IOException {
    try (Certifier disjoint = Certifier.open(DEEL_LIP.resolve("demo3_FC_MNIST08_channelfirst.keras"))) {
      Certified c = disjoint.certify(pattern());
      assertArrayEquals(new float[] {0.1020326f, -0.1020304f}, c.logits(), 1e-5f);
      assertEquals(0, c.label());
      assertTrue(c.radius() <= 0.1020315 * 1.00001 && c.radius() >= 0.1020315 / 1.02, "radius " + c.radius());
    }
    try (Certifier binary = Certifier.open(DEEL_LIP.resolve("demo3_MNIST08_channelfirst.keras"))) {
      Certified c = binary.certify(pattern());
      assertEquals(CertificateRule.BINARY, binary.rule());
      assertEquals(1, binary.outputs());
      assertArrayEquals(new float[] {0.3377435f}, c.logits(), 1e-5f);
      assertEquals(1, c.label());
      assertTrue(binary.lipschitz() > 1 && binary.lipschitz() < 1.1, "bound " + binary.lipschitz());
      assertEquals(0.3377435 / binary.lipschitz(), c.radius(), 1e-6);
      assertTrue(c.robustAt(0.3) && !c.robustAt(c.radius()), "robust strictly below the radius");
    }
  }

  /** A serving path shares one certifier between request threads: each gets what a lone call gives. */
  @Test
  void threadsSharingACertifierGetWhatALoneCallGives() throws Exception {
    Dataset test = FashionMnist.load(Split.TEST);
    int threads = 4;
    int n = 50;
    Path keras = DEEL_LIP.resolve("demo0_MNIST_channelfirst_False_disj_Neurons_normalized.keras");
    for (Path model : List.of(EXPORT, keras)) {
      try (Certifier certifier = Certifier.open(model)) {
        List<float[]> slices = new ArrayList<>();
        List<List<Certified>> alone = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          slices.add(Arrays.copyOfRange(test.images(), t * n * 784, (t + 1) * n * 784));
          alone.add(certifier.certify(slices.get(t), n));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
          List<Future<List<Certified>>> runs = new ArrayList<>();
          for (int round = 0; round < 5; round++) {
            for (int t = 0; t < threads; t++) {
              float[] x = slices.get(t);
              runs.add(pool.submit(() -> certifier.certify(x, n)));
            }
          }
          for (int i = 0; i < runs.size(); i++) {
            List<Certified> got = runs.get(i).get();
            List<Certified> expected = alone.get(i % threads);
            for (int s = 0; s < n; s++) {
              assertEquals(expected.get(s).label(), got.get(s).label(), model + " run " + i + " sample " + s);
              assertEquals(expected.get(s).radius(), got.get(s).radius(), 1e-6, model + " run " + i);
            }
          }
        } finally {
          pool.shutdownNow();
        }
      }
    }
  }

  @Test
  void inputsOfAnotherSizeOrNotFiniteAreRefusedNamingWhatWasExpected() throws IOException {
    try (Certifier certifier = Certifier.open(EXPORT)) {
      IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
          () -> certifier.certify(new float[784 * 2 + 1], 2));
      assertTrue(size.getMessage().contains("[28, 28, 1]") && size.getMessage().contains("1568")
          && size.getMessage().contains("1569"), size.getMessage());
      float[] x = new float[784 * 3];
      x[784 + 5] = Float.NaN;
      IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> certifier.certify(x, 3));
      assertTrue(nan.getMessage().contains("input 1") && nan.getMessage().contains("position 5"), nan.getMessage());
      assertThrows(IllegalArgumentException.class, () -> certifier.certify(new float[0], 0));
    }
  }

  @Test
  void aCertifiedPredictionKeepsItsOwnLogits() {
    float[] logits = {1f, 2f};
    Certified c = new Certified(1, 0.25f, logits);
    logits[0] = 9f;
    c.logits()[1] = 9f;
    assertArrayEquals(new float[] {1f, 2f}, c.logits());
    assertTrue(c.robustAt(0.24));
    assertFalse(c.robustAt(0.25));
  }
}
