package org.jlip.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.jlip.testing.GraphEval;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/** Conv bounds against the SVD of the explicit operator matrix built with TensorFlow's own convolution. */
class OperatorNormsTest {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorNormsTest.class);

  /** Uniform entries in [-1, 1). */
  static float[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return out;
  }

  /** Largest singular value of the matrix whose rows are conv2d applied to each basis image. */
  static double explicitNorm(float[] kernel, int kh, int kw, int cin, int cout, int h, int w, int stride,
      String padding) {
    return GraphEval.operatorNorm(new long[] {h, w, cin}, (tf, x) -> tf.nn.conv2d(x,
        tf.constant(Shape.of(kh, kw, cin, cout), DataBuffers.of(kernel, true, false)),
        List.of(1L, (long) stride, (long) stride, 1L), padding));
  }

  @Test
  void dftBoundsTheOperatorFromAboveOnASmallInput() {
    for (long seed = 1; seed <= 3; seed++) {
      float[] k = random(3 * 3 * 2 * 3, seed);
      double exact = explicitNorm(k, 3, 3, 2, 3, 6, 6, 1, "SAME");
      double dft = OperatorNorms.convDftBound(k, 3, 3, 2, 3, 6, 6);
      double tight = OperatorNorms.convDftBound(k, 3, 3, 2, 3, 6, 6, 1, 1, "same");
      assertTrue(tight <= dft, "the padding-aware bound is the smaller of two grids");
      LOG.info("6x6x2 -> 3, 3x3, seed {}: dft {} (minimal grid {}) svd {} ratio {}", seed, dft, tight, exact,
          dft / exact);
      assertTrue(tight >= exact * (1 - 1e-6), "dft on the minimal grid " + tight + " < svd " + exact);
      assertTrue(dft >= exact * (1 - 1e-6), "dft " + dft + " < svd " + exact);
      double estimate = OperatorNorms.convNormEstimate(k, 3, 3, 2, 3, 6, 6, 1, 1, "same", 1);
      assertEquals(exact, estimate, 1e-9 * exact, "Lanczos estimate");
      assertTrue(estimate <= tight, "the estimate must stay below the guaranteed bound");
    }
  }

  @Test
  void dftBoundIsTightFor3x3On14x14() {
    float[] k = random(3 * 3 * 3 * 3, 4);
    double exact = explicitNorm(k, 3, 3, 3, 3, 14, 14, 1, "SAME");
    double dft = OperatorNorms.convDftBound(k, 3, 3, 3, 3, 14, 14, 1, 1, "same");
    double wide = OperatorNorms.convDftBound(k, 3, 3, 3, 3, 14, 14);
    LOG.info("14x14x3 -> 3, 3x3: dft {} (grid n+k-1: {}) svd {} ratio {}", dft, wide, exact, dft / exact);
    assertTrue(wide >= exact * (1 - 1e-6), "dft on the n+k-1 grid " + wide + " < svd " + exact);
    assertTrue(dft >= exact * (1 - 1e-6), "dft " + dft + " < svd " + exact);
    assertTrue(dft <= 1.02 * exact, "dft " + dft + " > 1.02 x svd " + exact);
  }

  @Test
  void dftBoundHoldsForStridesValidPaddingAndRectangularKernels() {
    float[] k = random(3 * 2 * 2 * 4, 5);
    double dft = OperatorNorms.convDftBound(k, 3, 2, 2, 4, 7, 6);
    for (String padding : new String[] {"SAME", "VALID"}) {
      for (int stride = 1; stride <= 2; stride++) {
        double exact = explicitNorm(k, 3, 2, 2, 4, 7, 6, stride, padding);
        assertTrue(dft >= exact * (1 - 1e-6), padding + " stride " + stride + ": dft " + dft + " < " + exact);
        double tight = OperatorNorms.convDftBound(k, 3, 2, 2, 4, 7, 6, stride, stride, padding);
        assertTrue(tight >= exact * (1 - 1e-6), padding + " stride " + stride + ": minimal-grid dft " + tight
            + " < " + exact);
        double estimate = OperatorNorms.convNormEstimate(k, 3, 2, 2, 4, 7, 6, stride, stride, padding, 2);
        assertEquals(exact, estimate, 1e-9 * exact, padding + " stride " + stride + " Lanczos estimate");
      }
    }
  }

  @Test
  void dftOfA1x1KernelIsTheMatrixNorm() {
    float[] k = random(5 * 3, 6);
    assertEquals(OperatorNorms.spectralNorm(k, 5, 3), OperatorNorms.convDftBound(k, 1, 1, 5, 3, 4, 4), 1e-9);
  }

  /**
   * Strided convolutions through their polyphase form: still an upper bound of the operator's true norm (SVD of
   * its matrix built by TensorFlow), and far tighter than the unstrided grids alone, which bound the operator the
   * stride subsamples.
   */
  @Test
  void stridedBoundIsSoundAndTight() {
    int[][] cases = {{3, 3, 2, 9}, {3, 3, 2, 8}, {5, 5, 2, 9}, {3, 2, 3, 10}, {4, 4, 2, 8}, {5, 3, 3, 7}};
    double worst = 0;
    long seed = 20;
    for (int[] c : cases) {
      for (String padding : new String[] {"SAME", "VALID"}) {
        int kh = c[0];
        int kw = c[1];
        int stride = c[2];
        int size = c[3];
        float[] k = random(kh * kw * 3 * 4, seed++);
        double exact = explicitNorm(k, kh, kw, 3, 4, size, size, stride, padding);
        double bound = OperatorNorms.convDftBound(k, kh, kw, 3, 4, size, size, stride, stride, padding);
        String what = kh + "x" + kw + " stride " + stride + " " + padding + " on " + size + ": bound " + bound
            + ", true " + exact;
        assertTrue(bound >= exact * (1 - 1e-6), what);
        worst = Math.max(worst, bound / exact);
        LOG.info("strided {}: ratio {}", what, bound / exact);
      }
    }
    assertTrue(worst < 1.25, "polyphase bound looser than 1.25x the true norm: " + worst);
  }
}
