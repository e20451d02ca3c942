package org.jlip.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.jlip.layers.DenseConfig;
import org.jlip.layers.LipLayer;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class LipschitzHarnessTest {
  private static final int IN = 12;
  private static final int OUT = 5;

  /** A dense layer whose kernel is set to a known matrix: the harness must find its spectral norm. */
  @Test
  void findsTheSpectralNormOfADenseKernel() {
    for (double target : new double[] {0.5, 3.0}) {
      float[] kernel = kernel(target, 1);
      double s = spectralNorm(kernel);
      assertEquals(target, s, 1e-5);
      double est = estimateDense(kernel, LipschitzHarness.Options.defaults());
      System.out.printf("harness dense: %.5f (spectral norm %.5f)%n", est, s);
      assertTrue(est >= 0.9 * s && est <= 1.02 * s, "estimate " + est + " for spectral norm " + s);
    }
  }

  /** Per output the constant of x W is the largest column norm, below the spectral norm for this kernel. */
  @Test
  void perOutputFindsTheLargestColumnNorm() {
    float[] kernel = kernel(3.0, 2);
    double maxColumn = 0;
    for (int k = 0; k < OUT; k++) {
      double c = 0;
      for (int i = 0; i < IN; i++) {
        c += kernel[i * OUT + k] * kernel[i * OUT + k];
      }
      maxColumn = Math.max(maxColumn, Math.sqrt(c));
    }
    double est = estimateDense(kernel, LipschitzHarness.Options.defaults().withPerOutput(true));
    System.out.printf("harness dense per output: %.5f (largest column norm %.5f, spectral %.5f)%n", est,
        maxColumn, spectralNorm(kernel));
    assertTrue(maxColumn < 0.95 * spectralNorm(kernel));
    assertTrue(est >= 0.9 * maxColumn && est <= 1.02 * maxColumn, "estimate " + est + " for " + maxColumn);
  }

  /** A nonlinear function with a known constant reached only at a particular place: x -> sin(3 x), L = 3. */
  @Test
  void findsTheConstantOfANonlinearFunction() {
    double est = LipschitzHarness.estimate(new long[] {6}, (tf, x) -> tf.math.sin(tf.math.mul(x, tf.constant(3f))),
        LipschitzHarness.Options.defaults());
    System.out.printf("harness sin(3x): %.5f (true 3)%n", est);
    assertTrue(est >= 0.9 * 3 && est <= 1.02 * 3, "estimate " + est);
  }

  private static double estimateDense(float[] kernel, LipschitzHarness.Options options) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, IN)));
      LipLayer dense = new DenseConfig(OUT).create();
      dense.build(tf, new long[] {IN}, 0L);
      Operand<TFloat32> y = dense.call(tf, x, false);
      Operand<TFloat32> assign = tf.assign(dense.trainableVariables().get(0),
          tf.constant(Shape.of(IN, OUT), DataBuffers.of(kernel, true, false)));
      try (Session s = new Session(g)) {
        s.initialize();
        s.runner().addTarget(assign).run();
        return LipschitzHarness.estimate(s, x, y, options);
      }
    }
  }

  /** A random IN x OUT kernel (row-major) with distinct singular values, scaled to spectral norm {@code s}. */
  private static float[] kernel(double s, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] k = new float[IN * OUT];
    for (int i = 0; i < k.length; i++) {
      k[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    double scale = s / spectralNorm(k);
    for (int i = 0; i < k.length; i++) {
      k[i] = (float) (k[i] * scale);
    }
    return k;
  }

  private static double spectralNorm(float[] k) {
    double[][] m = new double[IN][OUT];
    for (int i = 0; i < IN; i++) {
      for (int j = 0; j < OUT; j++) {
        m[i][j] = k[i * OUT + j];
      }
    }
    return new SingularValueDecomposition(new Array2DRowRealMatrix(m)).getSingularValues()[0];
  }
}
