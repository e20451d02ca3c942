package org.jlip.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;

class MinimalNormTest {
  private static final int H = 4;
  private static final int W = 4;
  private static final int C = 2;
  private static final int D = H * W * C;

  @Test
  void multiclassLinearDistanceIsFoundWithinOnePercentAndNeverUndercut() {
    float[][] w = TestClassifiers.gaussian(D, 5, 0.3, 1);
    float[] b = {0.1f, -0.2f, 0.05f, 0f, 0.3f};
    float[] x = TestClassifiers.uniform(60 * D, 2);
    double[][] f = TestClassifiers.linearLogits(x, w, b);
    int[] y = new int[60];
    for (int i = 0; i < y.length; i++) {
      // Every fifth sample gets a wrong label: its radius must come back 0.
      y[i] = i % 5 == 4 ? (TestClassifiers.argmax(f[i]) + 1) % 5 : TestClassifiers.argmax(f[i]);
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Classifier c = TestClassifiers.linear(g, s, w, b, H, W, C);
      MinimalNormResult r = MinimalNorm.run(c, x, y,
          MinimalNormConfig.defaults().withoutClipping().withSearch(3, 10, 5).withBatchSize(16));
      for (int i = 0; i < y.length; i++) {
        if (i % 5 == 4) {
          assertEquals(0.0, r.norm()[i], "misclassified sample " + i);
          continue;
        }
        double exact = TestClassifiers.exactDistance(f[i], y[i], w);
        assertTrue(r.norm()[i] >= exact * (1 - 1e-4), "sample " + i + ": " + r.norm()[i] + " < exact " + exact);
        assertTrue(r.norm()[i] <= exact * 1.01, "sample " + i + ": " + r.norm()[i] + " > 1.01 * " + exact);
        double[] fa = TestClassifiers.linearLogits(java.util.Arrays.copyOfRange(r.adversarial(), i * D,
            (i + 1) * D), w, b)[0];
        assertTrue(TestClassifiers.argmax(fa) != y[i], "kept point of sample " + i + " is not adversarial");
        assertEquals(TestClassifiers.argmax(fa), r.adversarialPrediction()[i]);
      }
    }
  }

  @Test
  void binaryLinearDistanceIsAbsFOverNormW() {
    float[][] w = TestClassifiers.gaussian(D, 1, 0.5, 3);
    float[] b = {-0.2f};
    float[] x = TestClassifiers.uniform(40 * D, 4);
    double[][] f = TestClassifiers.linearLogits(x, w, b);
    int[] y = new int[40];
    for (int i = 0; i < y.length; i++) {
      y[i] = f[i][0] > 0 ? 1 : 0;
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Classifier c = TestClassifiers.linear(g, s, w, b, H, W, C);
      MinimalNormResult r = MinimalNorm.run(c, x, y, MinimalNormConfig.defaults().withoutClipping()
          .withSearch(0, 1, 1));
      for (int i = 0; i < y.length; i++) {
        double exact = TestClassifiers.exactDistance(f[i], y[i], w);
        assertTrue(r.norm()[i] >= exact * (1 - 1e-4) && r.norm()[i] <= exact * 1.01,
            "sample " + i + ": found " + r.norm()[i] + ", exact " + exact);
      }
    }
  }

  @Test
  void pgdSearchAloneApproachesTheRadiusFromAbove() {
    // No DeepFool help beyond one step: the eps bisection must still bracket the exact distance.
    float[][] w = TestClassifiers.gaussian(D, 1, 0.5, 5);
    float[] b = {0.1f};
    float[] x = TestClassifiers.uniform(10 * D, 6);
    double[][] f = TestClassifiers.linearLogits(x, w, b);
    int[] y = new int[10];
    for (int i = 0; i < y.length; i++) {
      y[i] = f[i][0] > 0 ? 1 : 0;
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Classifier c = TestClassifiers.linear(g, s, w, b, H, W, C);
      MinimalNormConfig cfg = new MinimalNormConfig(1, 5.0, 0, 12, 20, 20, Double.NEGATIVE_INFINITY,
          Double.POSITIVE_INFINITY, 256);
      MinimalNormResult r = MinimalNorm.run(c, x, y, cfg);
      for (int i = 0; i < y.length; i++) {
        double exact = TestClassifiers.exactDistance(f[i], y[i], w);
        assertTrue(r.norm()[i] >= exact * (1 - 1e-4) && r.norm()[i] <= exact * 1.02,
            "sample " + i + ": found " + r.norm()[i] + ", exact " + exact);
      }
    }
  }

  @Test
  void configRejectsBadValuesNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MinimalNormConfig(0, 0.02, 10, 10, 20, 10, 0, 1, 256));
    assertTrue(e.getMessage().contains("deepFoolSteps"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new MinimalNormConfig(5, 0.02, 10, 10, 20, 10, 1, 0, 256));
    assertTrue(e.getMessage().contains("clipMin"), e.getMessage());
  }
}
