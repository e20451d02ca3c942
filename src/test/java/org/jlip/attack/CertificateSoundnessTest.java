package org.jlip.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.jlip.data.Dataset;
import org.jlip.model.LipschitzSequential;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;

class CertificateSoundnessTest {
  private static final int H = 4;
  private static final int W = 4;
  private static final int C = 1;
  private static final int D = H * W * C;
  private static final int K = 3;
  private static final int N = 40;

  /** Multi-class certificate d / (sqrt(2) L) against the true label; <= 0 when misclassified. */
  private static double[] radii(double[][] logits, int[] y, double lipschitz) {
    double[] r = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      double other = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < logits[i].length; j++) {
        other = j == y[i] ? other : Math.max(other, logits[i][j]);
      }
      r[i] = (logits[i][y[i]] - other) / (Math.sqrt(2) * lipschitz);
    }
    return r;
  }

  private static double spectralNorm(float[][] w) {
    double[][] m = new double[w.length][];
    for (int i = 0; i < w.length; i++) {
      m[i] = new double[w[i].length];
      for (int j = 0; j < w[i].length; j++) {
        m[i][j] = w[i][j];
      }
    }
    return new SingularValueDecomposition(new Array2DRowRealMatrix(m)).getNorm();
  }

  @Test
  void trueLinearCertificatesHoldAndTripledOnesAreCaught() {
    float[][] w = TestClassifiers.gaussian(D, K, 0.5, 21);
    float[] b = {0.1f, 0f, -0.1f};
    float[] x = TestClassifiers.uniform(N * D, 22);
    double[][] f = TestClassifiers.linearLogits(x, w, b);
    int[] y = Arrays.stream(f).mapToInt(TestClassifiers::argmax).toArray();
    y[0] = (y[0] + 1) % K; // one misclassified sample: negative radius, never a violation
    double[] radii = radii(f, y, spectralNorm(w));
    Dataset data = new Dataset(x, y, H, W, C, K, null);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Classifier c = TestClassifiers.linear(g, s, w, b, H, W, C);
      MinimalNormConfig cfg = MinimalNormConfig.defaults().withoutClipping();
      assertEquals(List.of(), CertificateSoundness.check(c, x, y, radii, cfg));
      double[] planted = Arrays.stream(radii).map(r -> 3 * r).toArray();
      List<Violation> violations = CertificateSoundness.check(c, x, y, planted, cfg);
      assertTrue(violations.size() > N / 2, violations.size() + " violations of tripled radii");
      assertFalse(violations.stream().anyMatch(v -> v.index() == 0));
      // With the [0, 1] box the attack is weaker, so the true radii must still hold.
      assertEquals(List.of(), CertificateSoundness.check(c, data, radii));
    }
  }

  @Test
  void mlpCertificatesFromTheMeasuredBoundHold() {
    float[] x = TestClassifiers.uniform(N * D, 23);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      LipschitzSequential model = TestClassifiers.mlp(g, s, H, W, C, 12, K, 5);
      Classifier c = Classifier.of(model, g, s);
      double lipschitz = model.bound(s).measured();
      MinimalNormResult probe = MinimalNorm.run(c, x, new int[N], MinimalNormConfig.defaults().withSearch(0, 1, 1));
      int[] y = probe.cleanPrediction();
      double[][] f = logits(c, x);
      double[] radii = radii(f, y, lipschitz);
      assertTrue(Arrays.stream(radii).allMatch(r -> r >= 0));
      List<Violation> none = CertificateSoundness.check(c, x, y, radii, MinimalNormConfig.defaults());
      assertEquals(List.of(), none);
      // Dividing by the bound is what makes the radius sound: a 1000x larger radius must be caught.
      double[] planted = Arrays.stream(radii).map(r -> 1000 * r).toArray();
      assertFalse(CertificateSoundness.check(c, x, y, planted, MinimalNormConfig.defaults()).isEmpty());
    }
  }

  private static double[][] logits(Classifier c, float[] x) {
    AttackOps.Evaluation e = c.ops().evaluate(x, new int[x.length / c.imageSize()], x.length / c.imageSize(),
        false);
    int k = c.numClasses();
    double[][] f = new double[e.margin().length][k];
    for (int i = 0; i < f.length; i++) {
      for (int j = 0; j < k; j++) {
        f[i][j] = e.logits()[i * k + j];
      }
    }
    return f;
  }
}
