package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Each element-wise function against its formula in double precision, its bound against the steepest slope
 * measured on a fine grid of its TensorFlow graph, and its graph gradient (what attacks use) against central
 * differences of the graph.
 */
class ElementwiseFunctionTest {
  private static final double SELU = 1.7580993408473766;

  /** function, param, expected bound, formula, kinks (where f' or f'' jumps: no central difference across them). */
  private record Case(ElementwiseFunction f, float param, double bound, DoubleUnaryOperator formula,
      double[] kinks) {}

  private static final Case[] CASES = {
      new Case(ElementwiseFunction.RELU, 0f, 1, x -> Math.max(x, 0), new double[] {0}),
      new Case(ElementwiseFunction.LEAKY_RELU, 0.2f, 1, x -> x > 0 ? x : 0.2f * x, new double[] {0}),
      new Case(ElementwiseFunction.LEAKY_RELU, -2.5f, 2.5, x -> x > 0 ? x : -2.5 * x, new double[] {0}),
      new Case(ElementwiseFunction.RELU6, 0f, 1, x -> Math.min(Math.max(x, 0), 6), new double[] {0, 6}),
      new Case(ElementwiseFunction.CLIPPED_RELU, 4f, 1, x -> Math.min(Math.max(x, 0), 4), new double[] {0, 4}),
      new Case(ElementwiseFunction.TANH, 0f, 1, Math::tanh, new double[] {}),
      new Case(ElementwiseFunction.SIGMOID, 0f, 0.25, x -> 1 / (1 + Math.exp(-x)), new double[] {}),
      new Case(ElementwiseFunction.ELU, 1f, 1, x -> x > 0 ? x : Math.expm1(x), new double[] {0}),
      new Case(ElementwiseFunction.ELU, 0.5f, 1, x -> x > 0 ? x : 0.5 * Math.expm1(x), new double[] {0}),
      new Case(ElementwiseFunction.ELU, 2f, 2, x -> x > 0 ? x : 2 * Math.expm1(x), new double[] {0}),
      new Case(ElementwiseFunction.SELU, 0f, SELU,
          x -> 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * Math.expm1(x)), new double[] {0}),
      new Case(ElementwiseFunction.SOFTPLUS, 0f, 1, x -> Math.log1p(Math.exp(x)), new double[] {}),
      new Case(ElementwiseFunction.MINIMUM, 1.5f, 1, x -> Math.min(x, 1.5), new double[] {1.5}),
      new Case(ElementwiseFunction.MAXIMUM, -0.5f, 1, x -> Math.max(x, -0.5), new double[] {-0.5}),
      new Case(ElementwiseFunction.GELU, 0f, ElementwiseFunction.GELU_LIPSCHITZ,
          x -> x * (1 + Erf.erf(x / Math.sqrt(2))) / 2, new double[] {}),
      new Case(ElementwiseFunction.SILU, 1f, ElementwiseFunction.SILU_LIPSCHITZ, x -> x * sigmoid(x),
          new double[] {}),
      new Case(ElementwiseFunction.SILU, 2.5f, ElementwiseFunction.SILU_LIPSCHITZ, x -> x * sigmoid(2.5 * x),
          new double[] {}),
      new Case(ElementwiseFunction.MISH, 0f, ElementwiseFunction.MISH_LIPSCHITZ,
          x -> x * Math.tanh(Math.log1p(Math.exp(x))), new double[] {}),
      new Case(ElementwiseFunction.SOFTSIGN, 0f, 1, x -> x / (1 + Math.abs(x)), new double[] {0}),
      new Case(ElementwiseFunction.HARD_SIGMOID, 0f, 1.0 / 6, x -> Math.min(Math.max(x + 3, 0), 6) / 6,
          new double[] {-3, 3}),
      new Case(ElementwiseFunction.HARD_SILU, 0f, 1.5, x -> x * Math.min(Math.max(x + 3, 0), 6) / 6,
          new double[] {-3, 3})};

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Test
  void smoothGatesBoundsAreTheSupremaOfTheirSlopes() {
    // The exact slopes in double precision on [-30, 30], step 1e-5: each constant is above every slope and within
    // 1e-9 of the steepest (the maximisers lie inside the grid; far out the slopes tend to 1 or 0).
    DoubleUnaryOperator gelu = x -> (1 + Erf.erf(x / Math.sqrt(2))) / 2 + x * Math.exp(-x * x / 2) / Math.sqrt(
        2 * Math.PI);
    DoubleUnaryOperator silu = x -> sigmoid(x) * (1 + x * (1 - sigmoid(x)));
    DoubleUnaryOperator mish = x -> {
      double t = Math.tanh(Math.log1p(Math.exp(x)));
      return t + x * (1 - t * t) * sigmoid(x);
    };
    double[][] found = new double[3][1];
    DoubleUnaryOperator[] slopes = {gelu, silu, mish};
    for (long i = -3_000_000; i <= 3_000_000; i++) {
      double x = i * 1e-5;
      for (int k = 0; k < 3; k++) {
        found[k][0] = Math.max(found[k][0], Math.abs(slopes[k].applyAsDouble(x)));
      }
    }
    double[] claimed = {ElementwiseFunction.GELU_LIPSCHITZ, ElementwiseFunction.SILU_LIPSCHITZ,
        ElementwiseFunction.MISH_LIPSCHITZ};
    for (int k = 0; k < 3; k++) {
      assertTrue(found[k][0] <= claimed[k] && found[k][0] > claimed[k] - 1e-9, k + ": " + found[k][0] + " vs "
          + claimed[k]);
    }
    // GELU's in closed form: (1 + erf(1)) / 2 + exp(-1) / sqrt(pi).
    assertEquals((1 + Erf.erf(1)) / 2 + Math.exp(-1) / Math.sqrt(Math.PI), ElementwiseFunction.GELU_LIPSCHITZ,
        1e-10);
  }

  @Test
  void boundsAreTheirConstants() {
    for (Case c : CASES) {
      var b = new Step.Elementwise("f", c.f(), c.param()).bound(new long[] {3});
      assertEquals(c.bound(), b.measured(), 0, c.f() + " " + c.param());
      assertEquals(b.measured(), b.estimate(), 0, c.f() + " " + c.param());
    }
    assertEquals(SELU, ElementwiseFunction.SELU_SCALE * ElementwiseFunction.SELU_ALPHA, 0);
  }

  @Test
  void valuesFollowTheFormulasAndNoSlopeExceedsTheBound() {
    // Slopes between neighbours 1e-2 apart on [-12, 12]: the supremum of |f'| is approached (near 0, or on a
    // half-line) and never exceeded beyond float rounding (about 2e-4 of a slope here).
    int n = 2401;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (-12 + i * 1e-2);
    }
    for (Case c : CASES) {
      float[] y = run(c, x);
      double steepest = 0;
      for (int i = 0; i < n; i++) {
        double e = c.formula().applyAsDouble(x[i]);
        assertEquals(e, y[i], 2e-6 * Math.max(1, Math.abs(e)), c.f() + " at " + x[i]);
        if (i > 0) {
          steepest = Math.max(steepest, Math.abs((y[i] - y[i - 1]) / (double) (x[i] - x[i - 1])));
        }
      }
      String what = c.f() + " " + c.param() + ": steepest slope " + steepest;
      assertTrue(steepest <= c.bound() * (1 + 2e-3), what);
      assertTrue(steepest >= c.bound() * 0.99, what);
    }
  }

  @Test
  void graphGradientsMatchCentralDifferences() {
    // d/dx sum(f(x)): what the attacks differentiate, through ops without a gradient the graph build would throw.
    int n = 400;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (-9 + 18.0 * i / (n - 1));
    }
    float h = 1e-2f;
    for (Case c : CASES) {
      float[] grad = gradient(c, x);
      float[] plus = run(c, shift(x, h));
      float[] minus = run(c, shift(x, -h));
      int checked = 0;
      for (int i = 0; i < n; i++) {
        if (nearKink(x[i], c.kinks(), 2 * h)) {
          continue;
        }
        double fd = (plus[i] - minus[i]) / (2.0 * h);
        assertEquals(fd, grad[i], 1e-3 * Math.max(1, Math.abs(fd)), c.f() + " " + c.param() + " at " + x[i]);
        checked++;
      }
      assertTrue(checked > n * 0.9, c.f() + ": " + checked);
    }
  }

  private static boolean nearKink(float x, double[] kinks, double d) {
    for (double k : kinks) {
      if (Math.abs(x - k) < d) {
        return true;
      }
    }
    return false;
  }

  private static float[] shift(float[] x, float h) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] + h;
    }
    return out;
  }

  private static float[] run(Case c, float[] x) {
    return eval(c, x, false);
  }

  private static float[] gradient(Case c, float[] x) {
    return eval(c, x, true);
  }

  private static float[] eval(Case c, float[] x, boolean gradient) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      var y = new Step.Elementwise("f", c.f(), c.param()).apply(tf, in, new long[0]);
      Output<?> out = gradient ? g.addGradients(tf.reduceSum(y, tf.constant(0)).asOutput(),
          new Output<?>[] {in.asOutput()})[0] : y.asOutput();
      float[] values = new float[x.length];
      try (TFloat32 t = TFloat32.tensorOf(Shape.of(x.length), DataBuffers.of(x, true, false));
          var r = s.runner().feed(in, t).fetch(out).run()) {
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(values, false, false));
      }
      return values;
    }
  }
}
