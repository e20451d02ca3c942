package org.jlip.certify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * Lower estimate of a convolution's operator norm: Lanczos on M = A^T A with full reorthogonalisation, M applied
 * by TensorFlow's own conv and its exact transpose (Conv2DBackpropInput) in a private float64 graph. The largest
 * Ritz value of M is a Rayleigh quotient, so sqrt of it never exceeds the true norm; unlike plain power
 * iteration it converges within a few dozen products even on the clustered spectra of orthogonalised kernels.
 */
final class ConvNormEstimate {
  static final int MAX_STEPS = 300;
  static final double TOL = 1e-12;

  private ConvNormEstimate() {}

  static double of(float[] kernel, int kh, int kw, int cin, int cout, int h, int w, int sh, int sw,
      String padding, long seed) {
    String pad = padding.toUpperCase(Locale.ROOT);
    List<Long> strides = List.of(1L, (long) sh, (long) sw, 1L);
    int n = h * w * cin;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      double[] k64 = new double[kernel.length];
      for (int i = 0; i < kernel.length; i++) {
        k64[i] = kernel[i];
      }
      Operand<TFloat64> k = tf.constant(Shape.of(kh, kw, cin, cout), DataBuffers.of(k64, true, false));
      Placeholder<TFloat64> v = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(1, h, w, cin)));
      Operand<TFloat64> y = tf.nn.conv2d(v, k, strides, pad, Conv2d.dataFormat("NHWC"));
      Operand<TFloat64> mv = tf.nn.conv2dBackpropInput(tf.constant(new int[] {1, h, w, cin}), k, y, strides, pad);

      List<double[]> q = new ArrayList<>();
      List<Double> alpha = new ArrayList<>();
      List<Double> beta = new ArrayList<>();
      SplittableRandom rnd = new SplittableRandom(seed);
      double[] cur = new double[n];
      for (int i = 0; i < n; i++) {
        cur[i] = rnd.nextDouble() - 0.5;
      }
      scale(cur, 1 / norm(cur));
      double last = 0;
      for (int j = 0; j < Math.min(MAX_STEPS, n); j++) {
        q.add(cur);
        double[] wv = apply(s, v, mv, cur, h, w, cin);
        double a = dot(cur, wv);
        alpha.add(a);
        axpy(wv, -a, cur);
        if (j > 0) {
          axpy(wv, -beta.get(j - 1), q.get(j - 1));
        }
        for (int pass = 0; pass < 2; pass++) {
          for (double[] qi : q) {
            axpy(wv, -dot(qi, wv), qi);
          }
        }
        double b = norm(wv);
        double theta = largestEigenvalue(alpha, beta);
        if (b < 1e-14 * Math.max(theta, 1e-300) || j > 0 && j % 5 == 0 && Math.abs(theta - last) <= TOL * theta) {
          return Math.sqrt(theta);
        }
        last = theta;
        beta.add(b);
        scale(wv, 1 / b);
        cur = wv;
      }
      return Math.sqrt(largestEigenvalue(alpha, beta));
    }
  }

  private static double[] apply(Session s, Placeholder<TFloat64> v, Operand<TFloat64> mv, double[] x, int h, int w,
      int cin) {
    try (TFloat64 in = TFloat64.tensorOf(Shape.of(1, h, w, cin), DataBuffers.of(x, true, false));
        Result r = s.runner().feed(v, in).fetch(mv).run()) {
      double[] out = new double[x.length];
      ((TFloat64) r.get(0)).copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  /** Largest eigenvalue of the symmetric tridiagonal matrix with diagonal alpha and off-diagonal beta. */
  private static double largestEigenvalue(List<Double> alpha, List<Double> beta) {
    int m = alpha.size();
    DMatrixRMaj t = new DMatrixRMaj(m, m);
    for (int i = 0; i < m; i++) {
      t.set(i, i, alpha.get(i));
      if (i + 1 < m) {
        t.set(i, i + 1, beta.get(i));
        t.set(i + 1, i, beta.get(i));
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, false, true);
    if (!eig.decompose(t)) {
      throw new IllegalStateException("eigen decomposition of a " + m + "x" + m + " Lanczos matrix failed");
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < m; i++) {
      max = Math.max(max, eig.getEigenvalue(i).getReal());
    }
    return Math.max(max, 0);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  private static void axpy(double[] y, double a, double[] x) {
    for (int i = 0; i < y.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static void scale(double[] x, double a) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= a;
    }
  }
}
