package org.jlip.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jlip.layers.LayerConfig;
import org.jlip.layers.LipLayer;
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

/** Test helpers: evaluate a graph function on given floats, its input gradient, and the reference vectors. */
public final class GraphEval {
  private GraphEval() {}

  /** A fresh layer from {@code config}, built for {@code inputShape} (no batch) and called in inference mode. */
  public static LipschitzHarness.Fn layer(LayerConfig config, long[] inputShape) {
    return (tf, x) -> {
      LipLayer l = config.create();
      l.build(tf, inputShape, 0L);
      return l.call(tf, x, false);
    };
  }

  /**
   * The operator norm of a linear graph function on inputs of {@code shape} (no batch): the largest singular
   * value of the matrix whose rows are f applied to each basis input.
   */
  public static double operatorNorm(long[] shape, LipschitzHarness.Fn f) {
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    float[] basis = new float[n * n];
    for (int i = 0; i < n; i++) {
      basis[i * n + i] = 1f;
    }
    long[] batched = new long[shape.length + 1];
    batched[0] = n;
    System.arraycopy(shape, 0, batched, 1, shape.length);
    float[] rows = run(batched, basis, f);
    return TestLinearAlgebra.largestSingularValue(rows, n, rows.length / n);
  }

  /** f(x) for x of {@code shape} (batch included), flattened row-major. */
  public static float[] run(long[] shape, float[] x, LipschitzHarness.Fn f) {
    return evaluate(shape, x, f, null)[0];
  }

  /** The gradient of sum(weights * f(x)) with respect to x (same layout as x). */
  public static float[] gradient(long[] shape, float[] x, LipschitzHarness.Fn f, float[] weights) {
    return evaluate(shape, x, f, weights)[1];
  }

  private static float[][] evaluate(long[] shape, float[] x, LipschitzHarness.Fn f, float[] weights) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
      Operand<TFloat32> out = f.apply(tf, in);
      Output<?>[] grad = null;
      if (weights != null) {
        Operand<TFloat32> w = tf.constant(out.shape(), DataBuffers.of(weights, true, false));
        grad = g.addGradients(tf.reduceSum(tf.math.mul(out, w), tf.constant(allAxes(out))).asOutput(),
            new Output<?>[] {in.asOutput()});
      }
      try (Session s = new Session(g);
          TFloat32 xt = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(x, true, false))) {
        s.initialize();
        Session.Runner runner = s.runner().feed(in, xt).fetch(out);
        if (grad != null) {
          runner.fetch(grad[0]);
        }
        try (Result r = runner.run()) {
          float[][] res = new float[2][];
          for (int i = 0; i < r.size(); i++) {
            TFloat32 t = (TFloat32) r.get(i);
            res[i] = new float[(int) t.shape().size()];
            t.copyTo(DataBuffers.of(res[i], false, false));
          }
          return res;
        }
      }
    }
  }

  private static int[] allAxes(Operand<?> t) {
    int[] axes = new int[t.shape().numDimensions()];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i;
    }
    return axes;
  }

  /** The 'layers' section of ../shared/reference/loss-vectors.json. */
  public static JsonNode referenceLayers() {
    try {
      return new ObjectMapper().readTree(Path.of("..", "shared", "reference", "loss-vectors.json").toFile())
          .get("layers");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the reference vectors", e);
    }
  }

  /** A nested JSON array flattened row-major. */
  public static float[] flat(JsonNode node) {
    List<Double> values = new ArrayList<>();
    collect(node, values);
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i).floatValue();
    }
    return out;
  }

  private static void collect(JsonNode node, List<Double> values) {
    if (node.isArray()) {
      node.forEach(n -> collect(n, values));
    } else {
      values.add(node.asDouble());
    }
  }

  /** [N, C, H, W] row-major -> [N, H, W, C] row-major. */
  public static float[] nchwToNhwc(float[] x, int n, int c, int h, int w) {
    float[] out = new float[x.length];
    for (int b = 0; b < n; b++) {
      for (int k = 0; k < c; k++) {
        for (int i = 0; i < h; i++) {
          for (int j = 0; j < w; j++) {
            out[((b * h + i) * w + j) * c + k] = x[((b * c + k) * h + i) * w + j];
          }
        }
      }
    }
    return out;
  }
}
