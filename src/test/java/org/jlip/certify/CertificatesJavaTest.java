package org.jlip.certify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** loss-vectors.json certificate entries, and the rules' relations, in plain Java. */
class CertificatesJavaTest {

  static JsonNode certificates() throws IOException {
    return new ObjectMapper().readTree(Path.of("..", "shared", "reference", "loss-vectors.json").toFile())
        .get("certificates");
  }

  static float[][] matrix(JsonNode n) {
    float[][] m = new float[n.size()][];
    for (int i = 0; i < n.size(); i++) {
      JsonNode row = n.get(i);
      m[i] = row.isArray() ? new float[row.size()] : new float[1];
      for (int j = 0; j < m[i].length; j++) {
        m[i][j] = (float) (row.isArray() ? row.get(j) : row).asDouble();
      }
    }
    return m;
  }

  static float[][] signed(float[][] y) {
    float[][] out = new float[y.length][];
    for (int i = 0; i < y.length; i++) {
      out[i] = new float[y[i].length];
      for (int j = 0; j < y[i].length; j++) {
        out[i][j] = y[i][j] > 0 ? 1f : -1f;
      }
    }
    return out;
  }

  static void assertClose(JsonNode expected, float[] actual, String where) {
    assertEquals(expected.size(), actual.length, where);
    for (int i = 0; i < actual.length; i++) {
      double e = expected.get(i).asDouble();
      assertTrue(Math.abs(e - actual[i]) <= 1e-6 * Math.abs(e), where + "[" + i + "]: " + e + " vs " + actual[i]);
    }
  }

  @Test
  void reproducesTheCategoricalReference() throws IOException {
    JsonNode c = certificates().get("categorical");
    float[][] f = matrix(c.get("y_pred"));
    float[][] y01 = matrix(c.get("y_true"));
    for (float[][] y : new float[][][] {y01, signed(y01)}) {
      float[] sqrt2 = CertificatesJava.radius(y, f, CertificateRule.SQRT2, 1.0);
      assertClose(c.get("radius_sqrt2"), sqrt2, "sqrt2");
      assertClose(c.get("radius_disjoint"), CertificatesJava.radius(y, f, CertificateRule.DISJOINT, 1.0), "disjoint");
      RobustnessSummary s = CertificatesJava.summarize(sqrt2, new double[] {0.25});
      assertEquals(c.get("provable_robust_accuracy_eps_0.25_sqrt2").asDouble(), s.provableRobustAccuracy()[0], 0);
      assertEquals(c.get("provable_avg_robustness_sqrt2").asDouble(), s.provableAverageRobustness(), 1e-7);
      assertEquals(0.5, s.accuracy(), 0);
      double plain = 0;
      for (JsonNode r : c.get("radius_sqrt2")) {
        plain += r.asDouble() / 4;
      }
      assertEquals(plain, s.meanRadius(), 1e-7);
    }
    float[] half = CertificatesJava.radius(y01, f, CertificateRule.SQRT2, 2.0);
    assertEquals(c.get("radius_sqrt2").get(0).asDouble() / 2, half[0], 1e-7, "divided by L");
  }

  @Test
  void reproducesTheBinaryReference() throws IOException {
    JsonNode b = certificates().get("binary");
    float[][] y = matrix(b.get("y_true"));
    float[][] f = matrix(b.get("y_pred"));
    float[][] y01 = new float[y.length][1];
    for (int i = 0; i < y.length; i++) {
      y01[i][0] = y[i][0] > 0 ? 1 : 0;
    }
    for (float[][] labels : new float[][][] {y, y01}) {
      float[] r = CertificatesJava.radius(labels, f, CertificateRule.BINARY, 1.0);
      assertClose(b.get("radius"), r, "binary");
      RobustnessSummary s = CertificatesJava.summarize(r, new double[] {0.25});
      assertEquals(b.get("provable_robust_accuracy_eps_0.25").asDouble(), s.provableRobustAccuracy()[0], 0);
      assertEquals(b.get("provable_avg_robustness").asDouble(), s.provableAverageRobustness(), 1e-7);
    }
    PredictedRadii p = CertificatesJava.predicted(f, CertificateRule.BINARY, 1.0);
    assertArrayEquals(new long[] {1, 1, 1, 1, 0, 0, 0, 0}, p.labels());
    for (int i = 0; i < f.length; i++) {
      assertEquals(Math.abs(b.get("radius").get(i).asDouble()), p.radius()[i], 1e-7);
    }
  }

  @Test
  void predictedAndPairwiseRadiiFollowTheirDefinitions() {
    float[][] f = {{1f, 0.2f, -0.5f}, {-1f, 0.3f, 0.1f}, {0.4f, 0.4f, 0f}};
    PredictedRadii p = CertificatesJava.predicted(f, CertificateRule.DISJOINT, 1.0);
    assertArrayEquals(new long[] {0, 1, 0}, p.labels(), "argmax, first on ties");
    assertArrayEquals(new float[] {0.4f, 0.1f, 0f}, p.radius(), 1e-7f);
    float[][] y = {{1, 0, 0}, {1, 0, 0}, {0, 0, 1}};
    float[] norms = {1f, 1f, 1f};
    assertArrayEquals(CertificatesJava.radius(y, f, CertificateRule.DISJOINT, 1.0),
        CertificatesJava.pairwiseRadius(y, f, norms, 1.0), 1e-7f, "unit columns: margin / 2");
    float[] wide = {0.5f, 1f, 2f};
    // row 0, class 0: min((1-0.2)/(2*(0.5+1)), (1+0.5)/(2*(0.5+2))) with L_body = 2.
    assertEquals(Math.min(0.8 / 3, 1.5 / 5), CertificatesJava.pairwiseRadius(y, f, wide, 2.0)[0], 1e-7);
    assertTrue(CertificatesJava.pairwiseRadius(y, f, wide, 2.0)[1] < 0, "misclassified: negative");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CertificatesJava.radius(y, f, CertificateRule.BINARY, 1.0));
    assertTrue(e.getMessage().contains("BINARY"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CertificatesJava.radius(y, f, CertificateRule.SQRT2, 0));
    assertTrue(e.getMessage().contains("lipschitz"), e.getMessage());
  }
}
