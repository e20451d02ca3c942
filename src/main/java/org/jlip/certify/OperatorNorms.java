package org.jlip.certify;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Operator norms of weights in double precision: the measured side of every Lipschitz bound. Convolution
 * kernels are row-major [kh, kw, cin, cout] (TensorFlow's layout); images are [h, w, c].
 */
public final class OperatorNorms {
  private OperatorNorms() {}

  /** Largest singular value of a row-major {@code rows x cols} matrix (an SVD in double precision). */
  public static double spectralNorm(float[] matrix, int rows, int cols) {
    if (matrix.length != (long) rows * cols) {
      throw new IllegalArgumentException(
          "matrix has " + matrix.length + " values, expected " + rows + "x" + cols);
    }
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    for (int i = 0; i < matrix.length; i++) {
      m.data[i] = matrix[i];
    }
    return singularValues(m)[0];
  }

  /** Singular values in decreasing order. */
  static double[] singularValues(DMatrixRMaj m) {
    SingularValueDecomposition_F64<DMatrixRMaj> svd =
        DecompositionFactory_DDRM.svd(m.numRows, m.numCols, false, false, true);
    if (!svd.decompose(m.copy())) {
      throw new IllegalStateException("SVD did not converge on a " + m.numRows + "x" + m.numCols + " matrix");
    }
    double[] s = svd.getSingularValues().clone();
    Arrays.sort(s);
    for (int i = 0; i < s.length / 2; i++) {
      double t = s[i];
      s[i] = s[s.length - 1 - i];
      s[s.length - 1 - i] = t;
    }
    return s;
  }

  /** Euclidean norm of each column of a row-major {@code rows x cols} matrix. */
  public static double[] columnNorms(float[] matrix, int rows, int cols) {
    double[] n = new double[cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double v = matrix[i * cols + j];
        n[j] += v * v;
      }
    }
    for (int j = 0; j < cols; j++) {
      n[j] = Math.sqrt(n[j]);
    }
    return n;
  }

  /**
   * A guaranteed upper bound of the operator norm of a 2-D convolution (cross-correlation) of {@code kernel} on
   * h x w inputs with zero padding: the largest singular value, over all frequencies (p, q) of the
   * (h+kh-1) x (w+kw-1) grid, of the cin x cout complex matrix
   * A(p, q) = sum_{i,j} K[i, j] exp(-2 pi i (i p / N1 + j q / N2)) (Sedghi, Gupta, Long 2019).
   *
   * <p>Why it bounds: every output of a zero-padded convolution, "same" or "valid", with any stride, is an entry
   * of the full linear convolution, which equals the circular convolution on that grid applied to the
   * zero-extended input; restricting inputs and subsampling outputs (a compression) cannot increase the norm.
   * The circular convolution's norm is exactly this maximum, which {@link DftBound} finds with one eigenproblem
   * and a Cholesky certificate per other frequency (within 1e-9 relative, from above).
   */
  public static double convDftBound(float[] kernel, int kh, int kw, int cin, int cout, int h, int w) {
    return dftBoundOnGrid(kernel, kh, kw, cin, cout, h + kh - 1, w + kw - 1);
  }

  /**
   * {@link #convDftBound(float[], int, int, int, int, int, int)} on the smallest circular grid that still
   * contains this convolution as a compression: with TensorFlow's padding (pb before, pa after; 0 for "valid")
   * the inputs read by the kept outputs span [-pb, n - 1 + pa], so a grid of N = n + max(pb, pa) never wraps a
   * read onto the image. Every such grid gives a valid bound, so this returns the smaller of the bounds on that
   * minimal grid and on the (h+kh-1) x (w+kw-1) one (measured on 3x3 kernels, 14x14 inputs: 1.015 x the true
   * norm against 1.021 for the larger grid alone; neither grid is always the tighter). A strided convolution also
   * gets the bound of its stride-1 polyphase form ({@link StridedConv}), which the plain grids overestimate by up to
   * sqrt(kh kw / (ceil(kh/sh) ceil(kw/sw))) since they bound the unstrided operator.
   */
  public static double convDftBound(float[] kernel, int kh, int kw, int cin, int cout, int h, int w, int sh,
      int sw, String padding) {
    int[] p1 = ConvPadding.padding(h, kh, sh, padding);
    int[] p2 = ConvPadding.padding(w, kw, sw, padding);
    int n1 = h + Math.max(p1[0], p1[1]);
    int n2 = w + Math.max(p2[0], p2[1]);
    double full = convDftBound(kernel, kh, kw, cin, cout, h, w);
    double best = n1 == h + kh - 1 && n2 == w + kw - 1 ? full
        : Math.min(full, dftBoundOnGrid(kernel, kh, kw, cin, cout, n1, n2));
    if (sh == 1 && sw == 1) {
      return best;
    }
    StridedConv p = StridedConv.polyphase(kernel, kh, kw, cin, cout, h, w, sh, sw, padding);
    return Math.min(best, convDftBound(p.kernel, p.kh, p.kw, p.cin, p.cout, p.h, p.w));
  }

  private static double dftBoundOnGrid(float[] kernel, int kh, int kw, int cin, int cout, int n1, int n2) {
    checkKernel(kernel, kh, kw, cin, cout);
    return DftBound.onGrid(kernel, kh, kw, cin, cout, n1, n2);
  }

  /**
   * A lower estimate of the operator norm of the convolution {@code x -> conv2d(x, kernel, strides, padding)} on
   * h x w x cin inputs (TensorFlow's "SAME" or "VALID" padding): Lanczos on A^T A (see {@link ConvNormEstimate}),
   * which reaches the true norm from below to about 1e-12.
   */
  public static double convNormEstimate(float[] kernel, int kh, int kw, int cin, int cout, int h, int w, int sh,
      int sw, String padding, long seed) {
    checkKernel(kernel, kh, kw, cin, cout);
    return ConvNormEstimate.of(kernel, kh, kw, cin, cout, h, w, sh, sw, padding, seed);
  }

  private static void checkKernel(float[] kernel, int kh, int kw, int cin, int cout) {
    if (kernel.length != (long) kh * kw * cin * cout) {
      throw new IllegalArgumentException("kernel has " + kernel.length + " values, expected " + kh + "x" + kw
          + "x" + cin + "x" + cout);
    }
  }
}
