package org.jlip.testing;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Empirical Lipschitz constant of a graph function: a lower estimate found by gradient ascent on
 * R(x, y) = ||f(x) - f(y)|| / ||x - y|| over input pairs (or, per output, max_k |f_k(x) - f_k(y)| / ||x - y||,
 * for heads whose outputs are bounded one by one). Every ratio it reports was evaluated at actual points, so it
 * is a lower bound of the true constant up to float32 rounding: a layer whose estimate exceeds its reported
 * bound is wrong, and an estimate near the bound shows the bound is tight.
 *
 * <p>Method: the pairs are parametrised as x = c + d/2, y = c - d/2. Half of them start with a small separation
 * (||d|| about {@code smallSeparation} times ||c||: the local Jacobian norm), the rest with a large one (about
 * ||c||: non-local pairs). All pairs ascend together in one batch (the objective is the sum of their ratios, so
 * they do not interact). Each step moves d by {@code stepSize} * ||d|| and c by {@code stepSize} * ||c_0|| along
 * the normalised gradients (gradients from {@code graph.addGradients} w.r.t. the stacked input [x; y]); the step
 * decays linearly to a tenth. The largest ratio seen is returned.
 *
 * <p>Use: {@link #estimate(long[], Fn, Options)} builds f in a fresh graph (variables take their initial values);
 * {@link #estimate(Session, Placeholder, Operand, Options)} works on a graph the caller built and a session whose
 * variables the caller set (e.g. assigned a known kernel). The placeholder must have shape [-1, inputShape...].
 */
public final class LipschitzHarness {
  private static final AtomicInteger SCOPES = new AtomicInteger();

  /** A graph function of a batch {@code x} [-1, inputShape...]. */
  @FunctionalInterface
  public interface Fn {
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x);
  }

  /**
   * @param pairs pairs ascended in parallel (half small, half large separation)
   * @param steps ascent steps
   * @param stepSize initial relative step
   * @param smallSeparation initial ||d|| / ||c|| of the small-separation pairs
   * @param inputScale standard deviation of the entries of the starting centres c
   * @param perOutput maximise max_k |f_k(x) - f_k(y)| / ||x - y|| instead of ||f(x) - f(y)|| / ||x - y||
   * @param seed random seed
   */
  public record Options(int pairs, int steps, double stepSize, double smallSeparation, double inputScale,
      boolean perOutput, long seed) {

    public Options {
      if (pairs < 2 || pairs % 2 != 0) {
        throw new IllegalArgumentException("pairs must be even and >= 2, got " + pairs);
      }
      if (steps < 0) {
        throw new IllegalArgumentException("steps must be >= 0, got " + steps);
      }
    }

    /** 8 pairs, 300 steps, step 0.2, small separation 1e-2, unit-scale inputs, whole-output ratio. */
    public static Options defaults() {
      return new Options(8, 300, 0.2, 1e-2, 1.0, false, 42L);
    }

    public Options withPerOutput(boolean value) {
      return new Options(pairs, steps, stepSize, smallSeparation, inputScale, value, seed);
    }

    public Options withSteps(int value) {
      return new Options(pairs, value, stepSize, smallSeparation, inputScale, perOutput, seed);
    }

    public Options withSeed(long value) {
      return new Options(pairs, steps, stepSize, smallSeparation, inputScale, perOutput, value);
    }

    public Options withInputScale(double value) {
      return new Options(pairs, steps, stepSize, smallSeparation, value, perOutput, seed);
    }
  }

  private LipschitzHarness() {}

  /** Builds {@code f} on a placeholder [-1, inputShape...] in a fresh graph and estimates its constant. */
  public static double estimate(long[] inputShape, Fn f, Options options) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(withBatch(inputShape))));
      Operand<TFloat32> y = f.apply(tf, x);
      try (Session s = new Session(g)) {
        s.initialize();
        return estimate(s, x, y, options);
      }
    }
  }

  /**
   * Estimates the constant of {@code output} as a function of {@code input} in {@code session}'s graph (adds the
   * ratio and its gradient to that graph).
   */
  public static double estimate(Session session, Placeholder<TFloat32> input, Operand<TFloat32> output,
      Options options) {
    Shape shape = input.shape();
    long[] inputShape = new long[shape.numDimensions() - 1];
    for (int i = 0; i < inputShape.length; i++) {
      inputShape[i] = shape.size(i + 1);
      if (inputShape[i] <= 0) {
        throw new IllegalArgumentException("input dimensions after the batch must be known, got " + shape);
      }
    }
    int m = options.pairs();
    int dim = (int) Arrays.stream(inputShape).reduce(1, (a, b) -> a * b);
    Graph g = (Graph) input.env();
    Ops tf = Ops.create(g).withSubScope("lipschitz_harness_" + SCOPES.incrementAndGet());
    Operand<TFloat32> ratio = ratios(tf, input, output, m, dim, options.perOutput());
    Output<?>[] grad = g.addGradients(tf.reduceSum(ratio, tf.constant(0)).asOutput(),
        new Output<?>[] {input.asOutput()});

    SplittableRandom rnd = new SplittableRandom(options.seed());
    double[][] c = new double[m][dim];
    double[][] d = new double[m][dim];
    double[] c0Norm = new double[m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < dim; j++) {
        c[i][j] = options.inputScale() * gaussian(rnd);
        d[i][j] = gaussian(rnd);
      }
      c0Norm[i] = Math.max(norm(c[i]), 1e-3);
      double sep = (i < m / 2 ? options.smallSeparation() : 1.0) * c0Norm[i];
      scale(d[i], sep / norm(d[i]));
    }
    float[] feed = new float[2 * m * dim];
    float[] r = new float[m];
    float[] gz = new float[2 * m * dim];
    double best = 0;
    for (int step = 0; step <= options.steps(); step++) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < dim; j++) {
          feed[i * dim + j] = (float) (c[i][j] + d[i][j] / 2);
          feed[(m + i) * dim + j] = (float) (c[i][j] - d[i][j] / 2);
        }
      }
      try (TFloat32 z = TFloat32.tensorOf(Shape.of(withBatch(2L * m, inputShape)), DataBuffers.of(feed));
          Result res = session.runner().feed(input, z).fetch(ratio).fetch(grad[0]).run()) {
        ((TFloat32) res.get(0)).copyTo(DataBuffers.of(r, false, false));
        ((TFloat32) res.get(1)).copyTo(DataBuffers.of(gz, false, false));
      }
      for (int i = 0; i < m; i++) {
        if (Float.isFinite(r[i])) {
          best = Math.max(best, r[i]);
        }
      }
      if (step == options.steps()) {
        break;
      }
      double eta = options.stepSize() * (1 - 0.9 * step / (double) options.steps());
      for (int i = 0; i < m; i++) {
        double[] gd = new double[dim];
        double[] gc = new double[dim];
        for (int j = 0; j < dim; j++) {
          double gx = gz[i * dim + j];
          double gy = gz[(m + i) * dim + j];
          gd[j] = (gx - gy) / 2;
          gc[j] = gx + gy;
        }
        double ngd = norm(gd);
        double ngc = norm(gc);
        double nd = norm(d[i]);
        if (ngd > 0 && Double.isFinite(ngd)) {
          axpy(eta * nd / ngd, gd, d[i]);
        }
        if (ngc > 0 && Double.isFinite(ngc)) {
          axpy(eta * c0Norm[i] / ngc, gc, c[i]);
        }
      }
    }
    return best;
  }

  /** Per pair i: ||f(x_i) - f(y_i)|| / ||x_i - y_i|| (or the per-output max), from the stacked batch [x; y]. */
  private static Operand<TFloat32> ratios(Ops tf, Operand<TFloat32> input, Operand<TFloat32> output, int m,
      int dim, boolean perOutput) {
    Operand<TFloat32> in = tf.reshape(input, tf.constant(new long[] {2, m, dim}));
    Operand<TFloat32> out = tf.reshape(output, tf.constant(new long[] {2, m, -1}));
    List<Output<TFloat32>> ins = tf.unstack(in, 2L).output();
    List<Output<TFloat32>> outs = tf.unstack(out, 2L).output();
    Operand<TFloat32> dIn = tf.math.sub(ins.get(0), ins.get(1));
    Operand<TFloat32> dOut = tf.math.sub(outs.get(0), outs.get(1));
    Operand<TFloat32> inNorm = tf.math.sqrt(tf.reduceSum(tf.math.square(dIn), tf.constant(1)));
    Operand<TFloat32> outMeasure = perOutput
        ? tf.reduceMax(tf.math.abs(dOut), tf.constant(1))
        : tf.math.sqrt(tf.math.add(tf.reduceSum(tf.math.square(dOut), tf.constant(1)), tf.constant(1e-30f)));
    return tf.math.div(outMeasure, inNorm);
  }

  static long[] withBatch(long[] shape) {
    return withBatch(-1, shape);
  }

  static long[] withBatch(long batch, long[] shape) {
    long[] out = new long[shape.length + 1];
    out[0] = batch;
    System.arraycopy(shape, 0, out, 1, shape.length);
    return out;
  }

  private static double gaussian(SplittableRandom rnd) {
    double u = rnd.nextDouble();
    double v = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  private static void scale(double[] v, double a) {
    for (int i = 0; i < v.length; i++) {
      v[i] *= a;
    }
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < y.length; i++) {
      y[i] += a * x[i];
    }
  }
}
