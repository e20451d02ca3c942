package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.jlip.certify.CertificateRule;
import org.jlip.certify.CertificationReport;
import org.junit.jupiter.api.Test;

/** jlip certify's view of a Keras SavedModel: served logits, rebuilt bound, README oracles. */
class ImportedCertifiedModelTest {
  private static final Path MLP = Path.of("..", "shared", "models", "python", "keras_fmnist_mlp_logits",
      "fashion_mnist_model");

  @Test
  void fashionMlpCertifiesThePatternInputAsTheReadmeSays() throws IOException {
    float[] x = new float[784];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i % 7) / 7f;
    }
    try (ImportedCertifiedModel m = ImportedCertifiedModel.open(MLP)) {
      float[] logits = m.logits(x, 1);
      assertArrayEquals(new float[] {0.622831f, 2.56701f, -3.69951f, -4.18493f, -6.92553f, -12.9646f, 1.55766f,
          -16.9247f, 3.94760f, -9.56793f}, logits, 1e-4f);
      assertEquals(CertificateRule.SQRT2, m.rule());
      assertEquals(158.13159, m.bound().measured(), 158.13159 * 1e-3);
      CertificationReport r = CertificationReport.of(m, logits, 1, null, new double[] {0.1});
      assertEquals(8, r.predicted()[0]);
      assertEquals(1.380589, r.margin()[0], 1e-5);
      assertEquals(0.0061735, r.radius()[0], 1e-6);
    }
  }

  @Test
  void labelsOutsideTheModelsClassesAreAClearError() throws IOException {
    try (ImportedCertifiedModel m = ImportedCertifiedModel.open(Path.of("src", "test", "resources", "keras",
        "global_average_export"))) {
      float[] logits = m.logits(new float[2 * 784], 2);
      var e = assertThrows(IllegalArgumentException.class,
          () -> CertificationReport.of(m, logits, 2, new int[] {1, 9}, new double[] {0.1}));
      assertTrue(e.getMessage().contains("label 9 of sample 1") && e.getMessage().contains("3 classes"),
          e.getMessage());
      assertEquals(2, CertificationReport.of(m, logits, 2, new int[] {2, 0}, new double[] {0.1}).labels().length);
    }
  }
}
