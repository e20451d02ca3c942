package org.jlip.layers;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * Seeded weight initialisers computed in Java, so that the same seed gives the same weights on every machine
 * and device. Kernels are row-major with the output units last ([.., d_in, d_out]).
 */
public final class Initializers {
  private Initializers() {}

  /** Beyond this a kernel cannot be built as one Java array (then an SVD), and no model needs it. */
  static final long MAX_KERNEL_VALUES = 1L << 28;

  /** {@code size} as an array length, or a clear error for a kernel no layer should hold. */
  static int checkedSize(long size) {
    if (size > MAX_KERNEL_VALUES) {
      throw new IllegalArgumentException("a kernel of " + size + " values is too large: at most 2^28 (1 GiB of"
          + " floats) per layer");
    }
    return (int) size;
  }

  /**
   * Keras's orthogonal initializer for a {@code rows x cols} matrix: Q of the QR decomposition of a Gaussian
   * matrix (sign-corrected by diag(R)), so its rows or columns are orthonormal.
   */
  public static float[] orthogonal(int rows, int cols, long seed) {
    checkedSize((long) rows * cols);
    int big = Math.max(rows, cols);
    int small = Math.min(rows, cols);
    SplittableRandom rnd = new SplittableRandom(seed);
    DMatrixRMaj a = new DMatrixRMaj(big, small);
    for (int i = 0; i < a.data.length; i++) {
      a.data[i] = gaussian(rnd);
    }
    QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(big, small);
    if (!qr.decompose(a)) {
      throw new IllegalStateException("QR decomposition failed for orthogonal init " + rows + "x" + cols);
    }
    DMatrixRMaj q = qr.getQ(null, true);
    DMatrixRMaj r = qr.getR(null, true);
    float[] out = new float[rows * cols];
    for (int i = 0; i < big; i++) {
      for (int j = 0; j < small; j++) {
        double v = q.get(i, j) * Math.signum(r.get(j, j) == 0 ? 1 : r.get(j, j));
        if (rows >= cols) {
          out[i * cols + j] = (float) v;
        } else {
          out[j * cols + i] = (float) v;
        }
      }
    }
    return out;
  }

  /** Glorot uniform: U(-l, l) with l = sqrt(6 / (fanIn + fanOut)). */
  public static float[] glorotUniform(long size, long fanIn, long fanOut, long seed) {
    double limit = Math.sqrt(6.0 / (fanIn + fanOut));
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] out = new float[checkedSize(size)];
    for (int i = 0; i < size; i++) {
      out[i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
    }
    return out;
  }

  /** Standard normal values (the power-iteration vector's start). */
  public static float[] normal(int size, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] out = new float[size];
    for (int i = 0; i < size; i++) {
      out[i] = (float) gaussian(rnd);
    }
    return out;
  }

  private static double gaussian(SplittableRandom rnd) {
    // Box-Muller: SplittableRandom has no nextGaussian in Java 17.
    double u1 = rnd.nextDouble();
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }
}
