package org.jlip.normalize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/** The normalisers in float64: gradients against finite differences, power iteration against an SVD. */
class SpectralNormalizationTest {
  private static final int ROWS = 5;
  private static final int COLS = 3;

  private static double[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = r.nextDouble() * 2 - 1;
    }
    return out;
  }

  private static TFloat64 tensor(double[] v, long... shape) {
    return TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(v, true, false));
  }

  private static double[] run(Session s, Operand<?> fetch, Placeholder<TFloat64> k, double[] kv) {
    try (TFloat64 kt = tensor(kv, ROWS, COLS); Result r = s.runner().feed(k, kt).fetch(fetch).run()) {
      TFloat64 t = (TFloat64) r.get(0);
      double[] out = new double[(int) t.shape().size()];
      t.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  @Test
  void gradientThroughSpectralAndBjorckMatchesFiniteDifferences() {
    double[] k0 = random(ROWS * COLS, 1);
    double[] weights = random(ROWS * COLS, 2);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat64> k = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(ROWS, COLS)));
      // Tiny stop thresholds: the unrolled maps are smooth; the power iteration runs to convergence so that
      // holding u constant in the gradient is exact (envelope theorem).
      SpectralParams p = new SpectralParams(1e-12, 40, 1e-14, 15, 0.5);
      Operand<TFloat64> w = SpectralNormalization.reshapedKernelOrthogonalization(
          tf, k, tf.constant(new double[][] {random(COLS, 3)}), p).w();
      Operand<TFloat64> loss = tf.reduceSum(tf.math.mul(w, tf.constant(Shape.of(ROWS, COLS),
          DataBuffers.of(weights, true, false))), tf.constant(new int[] {0, 1}));
      Output<?>[] grad = g.addGradients(loss.asOutput(), new Output<?>[] {k.asOutput()});
      @SuppressWarnings("unchecked")
      double[] analytic = run(s, (Operand<TFloat64>) grad[0], k, k0);
      double h = 1e-5;
      double maxErr = 0;
      for (int i = 0; i < k0.length; i++) {
        double[] kp = k0.clone();
        double[] km = k0.clone();
        kp[i] += h;
        km[i] -= h;
        double fd = (run(s, loss, k, kp)[0] - run(s, loss, k, km)[0]) / (2 * h);
        maxErr = Math.max(maxErr, Math.abs(fd - analytic[i]));
        assertEquals(fd, analytic[i], 1e-6 * Math.max(1, Math.abs(fd)), "d loss / d K[" + i + "]");
      }
      assertTrue(maxErr < 1e-6, "max gradient error " + maxErr);
    }
  }

  @Test
  void powerIterationSigmaMatchesSvdAndEarlyStopFreezesU() {
    double[] k0 = random(ROWS * COLS, 4);
    double[][] a = new double[ROWS][COLS];
    for (int i = 0; i < ROWS; i++) {
      System.arraycopy(k0, i * COLS, a[i], 0, COLS);
    }
    double s1 = new SingularValueDecomposition(new Array2DRowRealMatrix(a)).getSingularValues()[0];
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat64> k = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(ROWS, COLS)));
      Operand<TFloat64> u0 = tf.constant(new double[][] {random(COLS, 5)});
      PowerIteration.Estimate<TFloat64> conv = PowerIteration.matrix(tf, k, u0, 100, 1e-13);
      assertEquals(s1, run(s, conv.sigma(), k, k0)[0], 1e-10);
      // A huge eps stops after the first iteration: ten iterations must then equal one.
      PowerIteration.Estimate<TFloat64> one = PowerIteration.matrix(tf, k, u0, 1, 1e9);
      PowerIteration.Estimate<TFloat64> ten = PowerIteration.matrix(tf, k, u0, 10, 1e9);
      PowerIteration.Estimate<TFloat64> tenNoStop = PowerIteration.matrix(tf, k, u0, 10, 1e-30);
      assertArrayEquals(run(s, one.u(), k, k0), run(s, ten.u(), k, k0), 1e-15);
      double[] uOne = run(s, one.u(), k, k0);
      double[] uTen = run(s, tenNoStop.u(), k, k0);
      double diff = 0;
      for (int i = 0; i < COLS; i++) {
        diff += Math.abs(uOne[i] - uTen[i]);
      }
      assertTrue(diff > 1e-6, "without the stop, more iterations must move u (moved " + diff + ")");
    }
  }

  @Test
  void bjorckEarlyStopFreezesW() {
    double[] k0 = random(ROWS * COLS, 6);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat64> k = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(ROWS, COLS)));
      Operand<TFloat64> scaled = tf.math.div(k, tf.constant(10.0));
      double[] one = run(s, Bjorck.orthonormalize(tf, scaled, 1, 0.5, 1e9), k, k0);
      double[] five = run(s, Bjorck.orthonormalize(tf, scaled, 5, 0.5, 1e9), k, k0);
      double[] fiveNoStop = run(s, Bjorck.orthonormalize(tf, scaled, 5, 0.5, 1e-30), k, k0);
      assertArrayEquals(one, five, 1e-15);
      assertTrue(Math.abs(one[0] - fiveNoStop[0]) > 1e-6, "iterations without the stop must move W");
    }
  }

  @Test
  void frobeniusNormalisationsHaveUnitNorms() {
    double[] k0 = random(ROWS * COLS, 7);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat64> k = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(ROWS, COLS)));
      double[] whole = run(s, FrobeniusNormalization.whole(tf, k), k, k0);
      double[] cols = run(s, FrobeniusNormalization.perOutput(tf, k), k, k0);
      double f = 0;
      for (int i = 0; i < whole.length; i++) {
        f += whole[i] * whole[i];
        assertEquals(k0[i] / whole[i], k0[0] / whole[0], 1e-12, "whole: one common factor");
      }
      assertEquals(1, f, 1e-12);
      for (int j = 0; j < COLS; j++) {
        double c = 0;
        for (int i = 0; i < ROWS; i++) {
          c += cols[i * COLS + j] * cols[i * COLS + j];
          assertEquals(k0[i * COLS + j] / cols[i * COLS + j], k0[j] / cols[j], 1e-12, "column " + j);
        }
        assertEquals(1, c, 1e-12, "column " + j);
      }
    }
  }
}
