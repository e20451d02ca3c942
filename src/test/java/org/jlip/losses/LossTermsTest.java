package org.jlip.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * Gradients of every loss (built from the shared terms) w.r.t. the predictions, against central finite
 * differences in a float64 graph, plus the plain-Java formulas of the two losses the JSON does not cover.
 */
class LossTermsTest {

  private static final int B = 8;
  private static final int C = 3;
  private static final double H = 1e-6;

  @Test
  void gradientsMatchCentralFiniteDifferences() {
    Random rnd = new Random(3);
    double[][] fm = randomMatrix(rnd, B, C);
    double[][] fb = randomMatrix(rnd, B, 1);
    double[][] ym = new double[B][C];
    int[] classes = new int[B];
    double[][] yb = new double[B][1];
    for (int i = 0; i < B; i++) {
      classes[i] = i % C;
      ym[i][classes[i]] = 1;
      yb[i][0] = i % 2;
    }
    Map<LipLoss, Boolean> losses = new LinkedHashMap<>(); // loss -> multi-class
    losses.put(new KR(), false);
    losses.put(new HingeMargin(0.7), false);
    losses.put(new HKR(3, 0.7), false);
    losses.put(new HKR(Double.POSITIVE_INFINITY, 0.7), false);
    losses.put(new TauBinaryCrossentropy(3), false);
    losses.put(new MulticlassKR(), true);
    losses.put(new MulticlassHinge(0.7), true);
    losses.put(new MulticlassHKR(3, 0.7), true);
    losses.put(new MultiMargin(0.7), true);
    losses.put(new CategoricalHinge(0.7), true);
    losses.put(new TauCategoricalCrossentropy(3), true);
    losses.put(new MulticlassSoftHKR(3, 0.7, 0.9, 1.5), true);
    for (Map.Entry<LipLoss, Boolean> e : losses.entrySet()) {
      boolean multi = e.getValue();
      checkGradient(e.getKey(), multi ? ym : yb, multi ? fm : fb);
    }
    checkGradient(new TauSparseCategoricalCrossentropy(3), null, fm, classes);
  }

  private static void checkGradient(LipLoss loss, double[][] y, double[][] f, int... sparse) {
    int rows = f.length;
    int cols = f[0].length;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat64> x = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(rows, cols)));
      Operand<TFloat64> l = sparse.length > 0 ? loss.call(tf, tf.constant(sparse), x, null)
          : loss.call(tf, tf.constant(y), x, null);
      Output<?>[] grad = g.addGradients(l.asOutput(), new Output<?>[] {x.asOutput()});
      s.initialize();
      double[] flat = LossHarness.flat(f);
      double[] analytic = run(loss, s, x, grad[0], flat, rows, cols);
      for (int k = 0; k < flat.length; k++) {
        double keep = flat[k];
        flat[k] = keep + H;
        double up = run(loss, s, x, l, flat, rows, cols)[0];
        flat[k] = keep - H;
        double down = run(loss, s, x, l, flat, rows, cols)[0];
        flat[k] = keep;
        double numeric = (up - down) / (2 * H);
        assertTrue(Math.abs(numeric - analytic[k]) <= 1e-6 + 1e-5 * Math.abs(numeric),
            loss + " d/df[" + k + "]: finite differences " + numeric + ", graph " + analytic[k]);
      }
    }
  }

  /** Runs with the given predictions; the soft HKR's running mean is reset first so every run sees the same. */
  private static double[] run(LipLoss loss, Session s, Placeholder<TFloat64> x, Operand<?> out, double[] flat,
      int rows, int cols) {
    if (loss instanceof MulticlassSoftHKR soft) {
      soft.setRunningMean(s, 1.3);
    }
    try (TFloat64 in = TFloat64.tensorOf(Shape.of(rows, cols), DataBuffers.of(flat, true, false));
        TFloat64 t = (TFloat64) s.runner().feed(x, in).fetch(out).run().get(0)) {
      double[] v = new double[(int) t.shape().size()];
      t.copyTo(DataBuffers.of(v, false, false));
      return v;
    }
  }

  private static double[][] randomMatrix(Random rnd, int rows, int cols) {
    double[][] a = new double[rows][cols];
    for (double[] r : a) {
      for (int j = 0; j < cols; j++) {
        r[j] = 4 * rnd.nextDouble() - 2;
      }
    }
    return a;
  }

  @Test
  void multiMarginAndCategoricalHingeMatchTheirFormulas() {
    double[][] f = {{1.5, 0.2, -0.5}, {1.0, -1.2, 0.3}, {0.8, 2.0, -2.0}, {0.0, 1.0, -0.5}};
    int[] cls = {0, 0, 1, 2};
    double m = 0.9;
    double[][] y = new double[f.length][3];
    double[] multi = new double[f.length];
    double[] cat = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      y[i][cls[i]] = 1;
      double other = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < 3; j++) {
        if (j != cls[i]) {
          multi[i] += Math.max(0, m - f[i][cls[i]] + f[i][j]) / 3;
          other = Math.max(other, f[i][j]);
        }
      }
      cat[i] = Math.max(0, m - (f[i][cls[i]] - other));
    }
    double[] gotMulti = LossHarness.eval(new MultiMargin(m, Reduction.NONE), LossHarness.signed(y), f,
        TFloat64.class);
    double[] gotCat = LossHarness.eval(new CategoricalHinge(m, Reduction.NONE), y, f, TFloat64.class);
    assertEquals(f.length, gotMulti.length);
    for (int i = 0; i < f.length; i++) {
      assertEquals(multi[i], gotMulti[i], 1e-12, "MultiMargin " + i);
      assertEquals(cat[i], gotCat[i], 1e-12, "CategoricalHinge " + i);
    }
  }
}
