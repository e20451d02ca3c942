package org.jlip.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

/**
 * The certified DFT bound against a brute force: commons-math3's SVD of every frequency's transfer matrix (all
 * n1 x n2 of them, conjugates included), through the real embedding [[Re, -Im], [Im, Re]], whose singular values
 * are the complex matrix's, each twice.
 */
class DftBoundTest {

  static double bruteForce(float[] k, int kh, int kw, int cin, int cout, int n1, int n2) {
    double best = 0;
    for (int p = 0; p < n1; p++) {
      for (int q = 0; q < n2; q++) {
        double[][] emb = new double[2 * cin][2 * cout];
        for (int i = 0; i < kh; i++) {
          for (int j = 0; j < kw; j++) {
            double angle = -2 * Math.PI * ((double) i * p / n1 + (double) j * q / n2);
            for (int a = 0; a < cin; a++) {
              for (int b = 0; b < cout; b++) {
                double v = k[((i * kw + j) * cin + a) * cout + b];
                emb[a][b] += Math.cos(angle) * v;
                emb[cin + a][cout + b] += Math.cos(angle) * v;
                emb[cin + a][b] += Math.sin(angle) * v;
                emb[a][cout + b] -= Math.sin(angle) * v;
              }
            }
          }
        }
        best = Math.max(best, new SingularValueDecomposition(new Array2DRowRealMatrix(emb, false)).getNorm());
      }
    }
    return best;
  }

  private static void assertCertified(float[] k, int kh, int kw, int cin, int cout, int n1, int n2) {
    assertCertified(k, kh, kw, cin, cout, n1, n2, DftBound.POWER_ITERATIONS);
  }

  private static void assertCertified(float[] k, int kh, int kw, int cin, int cout, int n1, int n2,
      int powerIterations) {
    double exact = bruteForce(k, kh, kw, cin, cout, n1, n2);
    double bound = DftBound.onGrid(k, kh, kw, cin, cout, n1, n2, powerIterations);
    String what = kh + "x" + kw + " " + cin + "->" + cout + " on " + n1 + "x" + n2 + ": bound " + bound + ", exact "
        + exact;
    assertTrue(bound >= exact * (1 - 1e-12), "below the exact maximum: " + what);
    assertTrue(bound <= exact * (1 + DftBound.SLACK + 1e-10), "looser than the slack allows: " + what);
  }

  @Test
  void matchesEveryFrequencysSvdFromAbove() {
    assertCertified(OperatorNormsTest.random(9 * 3 * 5, 1), 3, 3, 3, 5, 6, 7);
    assertCertified(OperatorNormsTest.random(9 * 6 * 2, 2), 3, 3, 6, 2, 5, 5);
    assertCertified(OperatorNormsTest.random(6 * 4 * 4, 3), 2, 3, 4, 4, 8, 9);
    assertCertified(OperatorNormsTest.random(9 * 1 * 4, 4), 3, 3, 1, 4, 16, 16);
    assertCertified(OperatorNormsTest.random(9 * 20 * 24, 5), 3, 3, 20, 24, 9, 9);
    assertCertified(OperatorNormsTest.random(9 * 24 * 20, 6), 3, 3, 24, 20, 8, 8);
  }

  /**
   * Without power iterations the ranking is arbitrary (the first frequency is taken as the top): the result must
   * come from the Cholesky certificates and the exact values of the frequencies that fail them.
   */
  @Test
  void staysExactWhenTheRankingIsWrong() {
    assertCertified(OperatorNormsTest.random(9 * 3 * 5, 11), 3, 3, 3, 5, 6, 7, 0);
    assertCertified(OperatorNormsTest.random(9 * 20 * 24, 12), 3, 3, 20, 24, 9, 9, 0);
    assertCertified(OperatorNormsTest.random(9 * 24 * 20, 13), 3, 3, 24, 20, 8, 8, 0);
  }

  /**
   * A kernel with only its centre tap set has the same transfer matrix norm at every frequency: every frequency
   * ties with the top one, the hardest case for certifying the others below it.
   */
  @Test
  void handlesEveryFrequencyTyingWithTheTop() {
    float[] w = OperatorNormsTest.random(12 * 10, 7);
    float[] k = new float[9 * 12 * 10];
    System.arraycopy(w, 0, k, 4 * 12 * 10, w.length);
    double norm = OperatorNorms.spectralNorm(w, 12, 10);
    double bound = DftBound.onGrid(k, 3, 3, 12, 10, 9, 9);
    assertTrue(bound >= norm * (1 - 1e-12) && bound <= norm * (1 + 2e-9), bound + " vs " + norm);
  }

  /** At a trained layer's size, against the exhaustive method (an eigenproblem at every frequency). */
  @Test
  void agreesWithTheExhaustiveMethodOnA64ChannelLayer() {
    float[] k = OperatorNormsTest.random(9 * 64 * 64, 9);
    double exhaustive = DftBound.exhaustive(k, 3, 3, 64, 64, 9, 9);
    double bound = DftBound.onGrid(k, 3, 3, 64, 64, 9, 9);
    assertTrue(bound >= exhaustive * (1 - 1e-12) && bound <= exhaustive * (1 + DftBound.SLACK + 1e-10),
        bound + " vs " + exhaustive);
  }

  @Test
  void isTheSameOnEveryRun() {
    float[] k = OperatorNormsTest.random(9 * 16 * 16, 8);
    assertEquals(DftBound.onGrid(k, 3, 3, 16, 16, 14, 14), DftBound.onGrid(k, 3, 3, 16, 16, 14, 14), 0.0);
  }
}
