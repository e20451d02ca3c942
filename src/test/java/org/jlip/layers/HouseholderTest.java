package org.jlip.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.jlip.testing.GraphEval;
import org.jlip.testing.LipschitzHarness;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** deel-lip's Householder activation against its formula in double precision, finite differences and the harness. */
class HouseholderTest {
  private static final int C = 6;

  /** deel-lip's call, in double: keep the pair where s <= 0, reflect it across the line at theta/2 elsewhere. */
  private static double[] reference(float[] x, int n, float[] theta) {
    double[] out = new double[x.length];
    int h = C / 2;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < h; j++) {
        double z1 = x[i * C + j];
        double z2 = x[i * C + h + j];
        double t = theta[j];
        boolean keep = z1 * Math.sin(t / 2) - z2 * Math.cos(t / 2) <= 0;
        out[i * C + j] = keep ? z1 : z1 * Math.cos(t) + z2 * Math.sin(t);
        out[i * C + h + j] = keep ? z2 : z1 * Math.sin(t) - z2 * Math.cos(t);
      }
    }
    return out;
  }

  /** A built layer on input [n, C] with angles {@code theta}: its output, and the gradient of sum(w * out). */
  private record Run(float[] out, float[] dx, float[] dTheta) {}

  private static Run run(float[] x, int n, float[] theta, float[] w) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Householder layer = (Householder) new HouseholderConfig(null, null).create();
      layer.build(tf, new long[] {C}, 0);
      Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, C)));
      Operand<TFloat32> out = layer.call(tf, in, true);
      Operand<TFloat32> objective = tf.reduceSum(tf.math.mul(out, tf.constant(Shape.of(n, C),
          org.tensorflow.ndarray.buffer.DataBuffers.of(w, true, false))), tf.constant(new int[] {0, 1}));
      Output<?>[] grads = g.addGradients(objective.asOutput(),
          new Output<?>[] {in.asOutput(), layer.trainableVariables().get(0).asOutput()});
      s.initialize();
      layer.assignWeights(tf, s, Map.of("theta", theta));
      try (TFloat32 xt = LayerTestSupport.tensor(x, n, C)) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> dx = (Operand<TFloat32>) grads[0];
        @SuppressWarnings("unchecked")
        Operand<TFloat32> dTheta = (Operand<TFloat32>) grads[1];
        return new Run(LayerTestSupport.fetch(s, out, in, xt), LayerTestSupport.fetch(s, dx, in, xt),
            LayerTestSupport.fetch(s, dTheta, in, xt));
      }
    }
  }

  @Test
  void computesDeelLipsFormulaAndIsGroupSort2OnPairsAtPiOver2() {
    Random r = new Random(3);
    int n = 50;
    float[] x = new float[n * C];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    float[] theta = {0.3f, -1.2f, 2.5f};
    double[] expected = reference(x, n, theta);
    float[] got = run(x, n, theta, new float[n * C]).out();
    for (int i = 0; i < got.length; i++) {
      assertEquals(expected[i], got[i], 1e-5, "value " + i);
    }
    float[] sorted = run(x, n, new float[] {(float) Math.PI / 2, (float) Math.PI / 2, (float) Math.PI / 2},
        new float[n * C]).out();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < C / 2; j++) {
        float a = x[i * C + j];
        float b = x[i * C + C / 2 + j];
        assertEquals(Math.min(a, b), sorted[i * C + j], 1e-6);
        assertEquals(Math.max(a, b), sorted[i * C + C / 2 + j], 1e-6);
      }
    }
  }

  /** Central differences of sum(w * out) in x and theta, in double through the reference formula. */
  @Test
  void gradientsMatchFiniteDifferences() {
    Random r = new Random(5);
    int n = 4;
    float[] x = new float[n * C];
    float[] w = new float[n * C];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
      w[i] = (float) r.nextGaussian();
    }
    float[] theta = {0.7f, -0.4f, 1.9f};
    Run run = run(x, n, theta, w);
    double h = 1e-3;
    for (int i = 0; i < x.length; i++) {
      float[] plus = x.clone();
      float[] minus = x.clone();
      plus[i] += (float) h;
      minus[i] -= (float) h;
      double fd = (dot(w, reference(plus, n, theta)) - dot(w, reference(minus, n, theta))) / (2 * h);
      assertEquals(fd, run.dx()[i], 1e-3, "d/dx " + i);
    }
    for (int j = 0; j < theta.length; j++) {
      float[] plus = theta.clone();
      float[] minus = theta.clone();
      plus[j] += (float) h;
      minus[j] -= (float) h;
      double fd = (dot(w, reference(x, n, plus)) - dot(w, reference(x, n, minus))) / (2 * h);
      assertEquals(fd, run.dTheta()[j], 1e-3, "d/dtheta " + j);
    }
  }

  private static double dot(float[] w, double[] y) {
    double s = 0;
    for (int i = 0; i < w.length; i++) {
      s += w[i] * y[i];
    }
    return s;
  }

  @Test
  void isOneLipschitzAndNeedsAnEvenAxis() {
    double found = LipschitzHarness.estimate(new long[] {C},
        GraphEval.layer(new HouseholderConfig(0.8, null), new long[] {C}), LipschitzHarness.Options.defaults());
    assertTrue(found <= 1.0 + 1e-4 && found > 0.9, "harness " + found);
    try (Graph g = new Graph()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new HouseholderConfig(null, "h").create().build(Ops.create(g), new long[] {4, 4, 3}, 0));
      assertTrue(e.getMessage().contains("even") && e.getMessage().contains("[4, 4, 3]"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> new HouseholderConfig(Double.NaN, null));
    assertEquals(Math.PI / 2, new HouseholderConfig(null, null).thetaInitial());
  }
}
