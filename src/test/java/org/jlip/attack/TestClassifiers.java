package org.jlip.attack;

import java.util.List;
import java.util.SplittableRandom;
import org.jlip.layers.DenseConfig;
import org.jlip.layers.FlattenConfig;
import org.jlip.layers.ReLUConfig;
import org.jlip.model.LipschitzSequential;
import org.jlip.model.ModelSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Small classifiers with known geometry, and random data for them. */
final class TestClassifiers {
  private TestClassifiers() {}

  /** f(x) = flatten(x) W + b with constant W [d][k]. */
  static Classifier linear(Graph g, Session s, float[][] w, float[] b, int h, int wd, int c) {
    Ops tf = Ops.create(g);
    int k = b.length;
    Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h, wd, c)));
    Operand<TFloat32> flat = tf.reshape(x, tf.constant(new long[] {-1, (long) h * wd * c}));
    Operand<TFloat32> logits = tf.math.add(tf.linalg.matMul(flat, tf.constant(w)), tf.constant(b));
    return Classifier.of(g, s, x, logits);
  }

  /** A jlip model Flatten - Dense(hidden) - ReLU - Dense(k) with seeded weights, initialised in s. */
  static LipschitzSequential mlp(Graph g, Session s, int h, int w, int c, int hidden, int k, long seed) {
    ModelSpec spec = new ModelSpec(null, List.of(h, w, c), List.of(new FlattenConfig(), new DenseConfig(hidden),
        new ReLUConfig(null), new DenseConfig(k)), null, true, null, null);
    LipschitzSequential model = new LipschitzSequential(spec);
    model.build(Ops.create(g), seed);
    s.initialize();
    return model;
  }

  static float[][] gaussian(int rows, int cols, double scale, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] m = new float[rows][cols];
    for (float[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = (float) (scale * r.nextGaussian());
      }
    }
    return m;
  }

  static float[] uniform(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) r.nextDouble();
    }
    return x;
  }

  /** Logits of the linear model in double: x [n*d] times w [d][k] plus b. */
  static double[][] linearLogits(float[] x, float[][] w, float[] b) {
    int d = w.length;
    int k = b.length;
    int n = x.length / d;
    double[][] f = new double[n][k];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        double s = b[j];
        for (int q = 0; q < d; q++) {
          s += (double) x[i * d + q] * w[q][j];
        }
        f[i][j] = s;
      }
    }
    return f;
  }

  /**
   * Exact L2 distance to the nearest decision boundary of a linear model for a correctly classified sample:
   * min_{j != y} (f_y - f_j) / ||w_y - w_j|| (one logit: |f| / ||w||).
   */
  static double exactDistance(double[] f, int y, float[][] w) {
    int k = f.length;
    if (k == 1) {
      double ww = 0;
      for (float[] row : w) {
        ww += (double) row[0] * row[0];
      }
      return Math.abs(f[0]) / Math.sqrt(ww);
    }
    double best = Double.POSITIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      if (j == y) {
        continue;
      }
      double ww = 0;
      for (float[] row : w) {
        double t = (double) row[y] - row[j];
        ww += t * t;
      }
      best = Math.min(best, (f[y] - f[j]) / Math.sqrt(ww));
    }
    return best;
  }

  static int argmax(double[] f) {
    if (f.length == 1) {
      return f[0] > 0 ? 1 : 0;
    }
    int best = 0;
    for (int j = 1; j < f.length; j++) {
      if (f[j] > f[best]) {
        best = j;
      }
    }
    return best;
  }
}
