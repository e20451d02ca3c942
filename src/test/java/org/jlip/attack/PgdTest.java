package org.jlip.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;

class PgdTest {
  private static final int H = 3;
  private static final int W = 3;
  private static final int C = 2;
  private static final int D = H * W * C;
  private static final int N = 50;

  private final float[][] w = TestClassifiers.gaussian(D, 4, 0.4, 11);
  private final float[] b = {0.2f, -0.1f, 0f, 0.1f};
  private final float[] x = TestClassifiers.uniform(N * D, 12);
  private final double[][] f = TestClassifiers.linearLogits(x, w, b);
  private final int[] y = Arrays.stream(f).mapToInt(TestClassifiers::argmax).toArray();
  private final double[] exact = new double[N];

  PgdTest() {
    for (int i = 0; i < N; i++) {
      exact[i] = TestClassifiers.exactDistance(f[i], y[i], w);
    }
  }

  @Test
  void neverSucceedsBelowTheExactDistanceAndMostlySucceedsAbove() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Classifier c = TestClassifiers.linear(g, s, w, b, H, W, C);
      double median = Arrays.stream(exact).sorted().toArray()[N / 2];
      PgdConfig cfg = PgdConfig.of(median, 30).withoutClipping().withBatchSize(16).withRandomStart(7);
      PgdResult r = Pgd.run(c, x, y, cfg);
      int below = 0;
      int aboveBroken = 0;
      int above = 0;
      for (int i = 0; i < N; i++) {
        assertTrue(r.norm()[i] <= median * (1 + 1e-5), "perturbation " + r.norm()[i] + " left the ball");
        if (exact[i] > median) {
          below++;
          assertFalse(r.success()[i], "sample " + i + " broken at eps " + median + " < exact " + exact[i]);
        } else if (exact[i] * 1.2 < median) {
          above++;
          aboveBroken += r.success()[i] ? 1 : 0;
        }
      }
      assertTrue(below > 10 && above > 10, below + " " + above);
      assertTrue(aboveBroken >= 0.9 * above, aboveBroken + " of " + above + " broken with eps >= 1.2x distance");
    }
  }

  @Test
  void perSampleRobustnessMatchesTheAnalyticRadius() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Classifier c = TestClassifiers.linear(g, s, w, b, H, W, C);
      for (double eps : new double[] {0.1, 0.3}) {
        PgdResult r = Pgd.run(c, x, y, PgdConfig.of(eps, 40).withoutClipping());
        int expected = 0;
        int broken = 0;
        for (int i = 0; i < N; i++) {
          expected += exact[i] * 1.2 < eps ? 1 : 0;
          broken += r.success()[i] ? 1 : 0;
          if (r.success()[i]) {
            assertTrue(exact[i] <= r.norm()[i] * (1 + 1e-4), "broken below the exact distance: " + i);
            double[] fa = TestClassifiers.linearLogits(Arrays.copyOfRange(r.adversarial(), i * D, (i + 1) * D),
                w, b)[0];
            assertEquals(TestClassifiers.argmax(fa), r.adversarialPrediction()[i]);
          }
        }
        assertTrue(broken >= expected, "eps " + eps + ": " + broken + " broken, " + expected + " expected");
        assertEquals(1 - (double) broken / N, r.robustAccuracy(), 1e-12);
      }
    }
  }

  @Test
  void boxClippingKeepsPointsInsideAndOnlyShrinksChanges() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Classifier c = TestClassifiers.linear(g, s, w, b, H, W, C);
      PgdResult r = Pgd.run(c, x, y, PgdConfig.of(2.0, 10).withRandomStart(3));
      for (int q = 0; q < r.adversarial().length; q++) {
        assertTrue(r.adversarial()[q] >= 0 && r.adversarial()[q] <= 1, "coordinate " + q + " left [0, 1]");
      }
      for (int i = 0; i < N; i++) {
        assertTrue(r.norm()[i] <= 2.0 + 1e-5);
      }
    }
  }

  @Test
  void misclassifiedInputsAreBrokenAtNormZeroAndRandomStartIsSeeded() {
    int[] wrong = y.clone();
    wrong[0] = (wrong[0] + 1) % 4;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Classifier c = TestClassifiers.linear(g, s, w, b, H, W, C);
      PgdConfig cfg = PgdConfig.of(0.05, 5).withRandomStart(9);
      PgdResult r1 = Pgd.run(c, x, wrong, cfg);
      PgdResult r2 = Pgd.run(c, x, wrong, cfg);
      assertTrue(r1.success()[0]);
      assertEquals(0.0, r1.norm()[0]);
      assertEquals(y[0], r1.cleanPrediction()[0]);
      assertArrayEquals(r1.adversarial(), r2.adversarial());
    }
  }

  @Test
  void binaryLogitIsPushedBelowZero() {
    float[][] wb = TestClassifiers.gaussian(D, 1, 0.5, 13);
    float[] bb = {0f};
    double[][] fb = TestClassifiers.linearLogits(x, wb, bb);
    int[] yb = Arrays.stream(fb).mapToInt(TestClassifiers::argmax).toArray();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Classifier c = TestClassifiers.linear(g, s, wb, bb, H, W, C);
      PgdResult r = Pgd.run(c, x, yb, PgdConfig.of(0.5, 20).withoutClipping());
      for (int i = 0; i < N; i++) {
        double exactB = TestClassifiers.exactDistance(fb[i], yb[i], wb);
        if (exactB < 0.45) {
          assertTrue(r.success()[i], "binary sample " + i + " at distance " + exactB);
        } else if (exactB > 0.5) {
          assertFalse(r.success()[i], "binary sample " + i + " at distance " + exactB);
        }
      }
    }
  }

  @Test
  void rejectsBadInputs() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Classifier c = TestClassifiers.linear(g, s, w, b, H, W, C);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Pgd.run(c, new float[D + 1], new int[1], PgdConfig.of(1, 1)));
      assertTrue(e.getMessage().contains("images.length"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> Pgd.run(c, new float[D], new int[] {4}, PgdConfig.of(1, 1)));
      assertTrue(e.getMessage().contains("labels"), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PgdConfig.of(-1, 1));
    assertTrue(e.getMessage().contains("eps must be"), e.getMessage());
  }
}
