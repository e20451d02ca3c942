package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jlip.certify.CertificateRule;
import org.jlip.data.Dataset;
import org.jlip.data.FashionMnist;
import org.jlip.data.Split;
import org.jlip.export.ExportCertifiedModel;
import org.jlip.export.ExportedModel;
import org.jlip.layers.LayerBound;
import org.jlip.model.ModelBound;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * channels_last deel-lip models as deel-lip 2.0 writes them (src/test/python/make_deel_lip_fixtures.py re-implements
 * its layers; src/test/resources/deel-lip): jlip's logits against Keras's, its bounds against lower estimates
 * measured in Python, its certificate rules.
 */
class DeelLipChannelsLastTest {
  private static final Path DIR = Path.of("src", "test", "resources", "deel-lip");
  private static final List<String> MODELS = List.of("demo_channels_last", "strided_channels_last", "dense_binary",
      "global_average_channels_last", "disjoint_head_bias", "hidden_frobenius");
  /** float32 against Keras float32: measured at most 1e-6. */
  private static final double LOGIT_TOLERANCE = 1e-5;
  /**
   * deel-lip's L2-norm pooling is sqrt(avgpool(x^2)); jlip's puts 1e-6 under the root (ScaledL2NormPooling2D.EPS),
   * which moves these fixtures' logits by up to 1.0e-4. Keras's logits with that epsilon are matched to
   * {@link #LOGIT_TOLERANCE}.
   */
  private static final double L2_POOL_EPS_EFFECT = 2e-4;
  private static final Map<String, CertificateRule> RULES = Map.of(
      "demo_channels_last", CertificateRule.DISJOINT,
      "strided_channels_last", CertificateRule.DISJOINT,
      "dense_binary", CertificateRule.BINARY,
      "global_average_channels_last", CertificateRule.SQRT2,
      "disjoint_head_bias", CertificateRule.DISJOINT,
      "hidden_frobenius", CertificateRule.SQRT2);

  private static JsonNode ref(String model) throws IOException {
    JsonNode m = new ObjectMapper().readTree(DIR.resolve("reference-logits.json").toFile()).path("models").path(model);
    assertTrue(m.isObject(), model + " has no reference");
    return m;
  }

  private static ImportedModel read(String model) throws IOException {
    return KerasFileImporter.read(DIR.resolve(model + ".keras"));
  }

  private static void assertLogits(JsonNode expected, float[] got, double tolerance, String what) {
    assertEquals(expected.size(), got.length, what);
    for (int k = 0; k < got.length; k++) {
      assertEquals(expected.get(k).asDouble(), got[k], tolerance, what + " logit " + k);
    }
  }

  /** Against Keras: exactly where jlip computes deel-lip's formula, and with jlip's pooling epsilon otherwise. */
  private static void assertKerasLogits(JsonNode ref, String input, int index, float[] got, String what) {
    JsonNode deelLip = index < 0 ? ref.path(input) : ref.path(input).get(index);
    JsonNode withEps = index < 0 ? ref.path(input + "_sqrt_eps") : ref.path(input + "_sqrt_eps").path(index);
    if (withEps.isMissingNode()) {
      assertLogits(deelLip, got, LOGIT_TOLERANCE, what);
    } else {
      assertLogits(withEps, got, LOGIT_TOLERANCE, what + " (with jlip's L2-pooling epsilon)");
      assertLogits(deelLip, got, L2_POOL_EPS_EFFECT, what);
    }
  }

  private static LayerBound layer(ModelBound b, String name) {
    int i = b.layerNames().indexOf(name);
    assertTrue(i >= 0, name + " not in " + b.layerNames());
    return b.layers().get(i);
  }

  @Test
  void logitsMatchKerasOnThePattern() throws IOException {
    for (String model : MODELS) {
      try (ImportedModel m = read(model)) {
        assertArrayEquals(new long[] {28, 28, 1}, m.inputShape(), model);
        assertFalse(m.channelsFirst(), model);
        assertKerasLogits(ref(model), "pattern", -1, m.logits(Fixtures.pattern(784), 1)[0], model);
      }
    }
  }

  @Test
  void logitsMatchKerasOnFashionMnist() throws IOException {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST is not installed");
    Dataset test = FashionMnist.load(Split.TEST);
    float[] x = new float[20 * 784];
    for (int i = 0; i < 20; i++) {
      System.arraycopy(test.image(i), 0, x, i * 784, 784);
    }
    for (String model : MODELS) {
      try (ImportedModel m = read(model)) {
        float[][] got = m.logits(x, 20);
        for (int i = 0; i < 20; i++) {
          assertKerasLogits(ref(model), "fashion_mnist_test", i, got[i], model + " image " + i);
        }
      }
    }
  }

  @Test
  void boundsCoverTheOperatorsAndGradientsMeasuredInPython() throws IOException {
    for (String model : MODELS) {
      JsonNode ref = ref(model);
      try (ImportedModel m = read(model)) {
        ModelBound b = m.layerBounds();
        assertEquals(RULES.get(model), m.rule(), model);
        b.layers().forEach(l -> assertTrue(l.estimate() <= l.measured() + 1e-12, model + " " + l));
        ref.path("operator_norms").fields().forEachRemaining(e -> {
          LayerBound l = layer(b, e.getKey());
          double norm = e.getValue().asDouble();
          String what = model + " " + e.getKey() + " " + l + " operator norm " + norm;
          if (!l.perOutput()) {
            // float32 power iteration in Python against jlip's double precision
            assertTrue(l.measured() >= norm * (1 - 1e-5), what);
            assertEquals(norm, l.estimate(), 1e-3 * norm, what);
          }
        });
        double lipschitz = m.lipschitzBound();
        String gradient = m.rule() == CertificateRule.SQRT2 ? "jacobian_norm_max" : "logit_gradient_norm_max";
        assertTrue(lipschitz >= ref.path(gradient).asDouble() * (1 - 1e-5), model + " L " + lipschitz
            + " below its " + gradient + " " + ref.path(gradient));
        // A margin certificate needs each logit difference to be at most divisor * L Lipschitz.
        double difference = ref.path("logit_difference_gradient_norm_max").asDouble();
        assertTrue(m.rule().divisor() * lipschitz >= difference * (1 - 1e-5), model + " rule " + m.rule() + " with L "
            + lipschitz + " certifies a margin whose gradient reaches " + difference);
      }
    }
  }

  @Test
  void demoConvnetIsDisjointWithNominalOne() throws IOException {
    try (ImportedModel m = read("demo_channels_last")) {
      assertEquals(CertificateRule.DISJOINT, m.rule());
      assertTrue(m.nominalIsOne());
      assertEquals(1.0, m.layerBounds().nominal(), 1e-12);
      assertTrue(m.layerBounds().perOutput());
      // deel-lip's conv coefficient is an average over the image, not a bound: the first conv measures above 1.
      assertTrue(layer(m.layerBounds(), "spectral_conv2d").measured() > 1.02);
      assertTrue(m.lipschitzBound() > 0.75 && m.lipschitzBound() < 1.05, "L " + m.lipschitzBound());
    }
  }

  @Test
  void kCoefLipScalesTheNominalAndMeasuredBounds() throws IOException {
    try (ImportedModel m = read("strided_channels_last")) {
      LayerBound scaled = layer(m.layerBounds(), "spectral_conv2d_3");
      assertEquals(2.0, scaled.nominal(), 1e-12);
      // stride 2, 3x3: deel-lip's coefficient 1/2 and k 2 give reshaped norm 1; the operator measures 1.50.
      assertTrue(scaled.measured() > 1.45 && scaled.measured() < 1.6, scaled.toString());
      assertEquals(2.0, m.layerBounds().nominal(), 1e-12);
      assertFalse(m.nominalIsOne(), "the construction claims 2, not 1");
    }
    try (ImportedModel m = read("global_average_channels_last")) {
      LayerBound pool = layer(m.layerBounds(), "scaled_global_average_pooling2d");
      assertEquals(0.5, pool.nominal(), 1e-12);
      assertEquals(0.5, pool.measured(), 1e-12);
      assertTrue(m.nominalIsOne(), "a claim of 0.5 keeps L <= 1");
    }
  }

  @Test
  void denseBinaryModelIsExactlyOneLipschitz() throws IOException {
    try (ImportedModel m = read("dense_binary")) {
      assertEquals(CertificateRule.BINARY, m.rule());
      assertEquals(1, m.numClasses());
      assertTrue(m.nominalIsOne());
      assertEquals(1.0, m.lipschitzBound(), 1e-5);
    }
  }

  @Test
  void disjointHeadWithItsBiasKeepsTheMarginOverTwoRule() throws IOException {
    try (ImportedModel m = read("disjoint_head_bias")) {
      assertEquals(CertificateRule.DISJOINT, m.rule());
      assertTrue(m.layerBounds().perOutput());
      assertTrue(layer(m.layerBounds(), "head").perOutput());
      assertEquals("head/bias", m.layerBounds().layerNames().get(m.layerBounds().layerNames().size() - 1));
    }
  }

  @Test
  void disjointLayerInsideTheNetworkIsBoundedAsAWhole() throws IOException {
    try (ImportedModel m = read("hidden_frobenius")) {
      LayerBound hidden = layer(m.layerBounds(), "hidden");
      assertFalse(hidden.perOutput());
      assertEquals("svd", hidden.method());
      assertEquals(4.0, hidden.nominal(), 1e-12, "k sqrt(units) for 16 unit columns");
      assertTrue(hidden.measured() > 3.8, hidden.toString());
      assertFalse(m.nominalIsOne());
    }
  }

  @Test
  void convertedModelsComputeKerasLogitsWithTheImportedBoundAndRule(@TempDir Path tmp) throws IOException {
    for (String model : List.of("demo_channels_last", "disjoint_head_bias")) {
      Path out = tmp.resolve(model);
      KerasConverter.convert(DIR.resolve(model + ".keras"), out, false);
      try (ImportedModel m = read(model);
          ExportCertifiedModel exported = ExportCertifiedModel.open(out)) {
        assertEquals(m.rule(), exported.rule(), model);
        assertEquals(m.lipschitzBound(), exported.bound().measured(), 1e-6, model);
      }
      try (ExportedModel e = ExportedModel.load(out)) {
        assertArrayEquals(new long[] {28, 28, 1}, e.inputShape(), model);
        assertKerasLogits(ref(model), "pattern", -1, e.logits(Fixtures.pattern(784), 1), model + " converted");
      }
    }
  }
}
