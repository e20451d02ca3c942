package org.jlip.attack;

import java.util.SplittableRandom;

/** Per-sample vector arithmetic on row-major batches (sample i occupies [i*d, (i+1)*d)). */
final class Vectors {
  private Vectors() {}

  /** ||a_i - b_i||_2 in double, a_i and b_i the i-th rows. */
  static double distance(float[] a, float[] b, int i, int d) {
    double s = 0;
    for (int k = i * d, end = k + d; k < end; k++) {
      double t = (double) a[k] - b[k];
      s += t * t;
    }
    return Math.sqrt(s);
  }

  /** ||a_i||_2. */
  static double norm(float[] a, int i, int d) {
    double s = 0;
    for (int k = i * d, end = k + d; k < end; k++) {
      s += (double) a[k] * a[k];
    }
    return Math.sqrt(s);
  }

  /**
   * Projects x_i onto the L2 ball of radius eps around x0_i, then clips each coordinate to
   * [min(lo, x0), max(hi, x0)]: clipping moves a coordinate towards x0, so it never leaves the ball.
   */
  static void project(float[] x, float[] x0, int i, int d, double eps, double lo, double hi) {
    double n = distance(x, x0, i, d);
    double scale = n > eps ? eps / n : 1;
    for (int k = i * d, end = k + d; k < end; k++) {
      double v = x0[k] + ((double) x[k] - x0[k]) * scale;
      v = Math.min(Math.max(v, Math.min(lo, x0[k])), Math.max(hi, x0[k]));
      x[k] = (float) v;
    }
  }

  /** x_i = x0_i + u * eps * U^(1/d) with u uniform on the unit sphere: a uniform point of the L2 ball. */
  static void randomInBall(float[] x, float[] x0, int i, int d, double eps, SplittableRandom rng) {
    double[] u = new double[d];
    double s = 0;
    for (int k = 0; k < d; k++) {
      u[k] = rng.nextGaussian();
      s += u[k] * u[k];
    }
    double r = eps * Math.pow(rng.nextDouble(), 1.0 / d) / Math.sqrt(s);
    for (int k = 0; k < d; k++) {
      x[i * d + k] = (float) (x0[i * d + k] + r * u[k]);
    }
  }

  /** Predicted class of row i of logits [n, k]: argmax, or for one logit 1 when it is > 0. */
  static int predict(float[] logits, int i, int k) {
    if (k == 1) {
      return logits[i] > 0 ? 1 : 0;
    }
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (logits[i * k + j] > logits[i * k + best]) {
        best = j;
      }
    }
    return best;
  }

  /** Row i of src copied into row i of dst. */
  static void copyRow(float[] src, float[] dst, int i, int d) {
    System.arraycopy(src, i * d, dst, i * d, d);
  }
}
