package org.jlip.losses;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.framework.losses.Loss;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/** Test helpers: the reference JSON, graph evaluation of a loss in float32 or float64. */
final class LossHarness {

  private LossHarness() {}

  static JsonNode reference() throws IOException {
    return new ObjectMapper().readTree(Path.of("..", "shared", "reference", "loss-vectors.json").toFile());
  }

  static double[][] matrix(JsonNode node) {
    double[][] out = new double[node.size()][];
    for (int i = 0; i < node.size(); i++) {
      JsonNode row = node.get(i);
      out[i] = new double[row.size()];
      for (int j = 0; j < row.size(); j++) {
        out[i][j] = row.get(j).asDouble();
      }
    }
    return out;
  }

  /** {0,1} labels to {-1,1}. */
  static double[][] signed(double[][] y) {
    double[][] out = new double[y.length][];
    for (int i = 0; i < y.length; i++) {
      out[i] = new double[y[i].length];
      for (int j = 0; j < y[i].length; j++) {
        out[i][j] = y[i][j] > 0 ? 1 : -1;
      }
    }
    return out;
  }

  /** Builds a loss from a JSON entry's name and params. */
  static LipLoss fromJson(String name, JsonNode p, Reduction r) {
    double alpha = p.path("alpha").asDouble(10);
    double m = p.path("minMargin").asDouble(1);
    return switch (name) {
      case "KR" -> new KR(r);
      case "HingeMargin" -> new HingeMargin(m, r);
      case "HKR" -> new HKR(alpha, m, r);
      case "MulticlassKR" -> new MulticlassKR(r);
      case "MulticlassHinge" -> new MulticlassHinge(m, r);
      case "MulticlassHKR" -> new MulticlassHKR(alpha, m, r);
      case "TauBinaryCrossentropy" -> new TauBinaryCrossentropy(p.get("tau").asDouble(), r);
      case "TauCategoricalCrossentropy" -> new TauCategoricalCrossentropy(p.get("tau").asDouble(), r);
      case "MulticlassSoftHKR" -> new MulticlassSoftHKR(alpha, m, p.get("alphaMean").asDouble(),
          p.get("temperature").asDouble(), r);
      default -> throw new IllegalArgumentException("no factory for " + name);
    };
  }

  static Reduction reduction(String jsonName) {
    return switch (jsonName) {
      case "none" -> Reduction.NONE;
      case "sum" -> Reduction.SUM;
      case "mean" -> Reduction.AUTO;
      default -> throw new IllegalArgumentException(jsonName);
    };
  }

  static double[] flat(double[][] a) {
    int n = 0;
    for (double[] r : a) {
      n += r.length;
    }
    double[] out = new double[n];
    int k = 0;
    for (double[] r : a) {
      for (double v : r) {
        out[k++] = v;
      }
    }
    return out;
  }

  static <T extends TNumber> Operand<T> constant(Ops tf, double[][] a, Class<T> type) {
    return tf.dtypes.cast(tf.constant(a), type);
  }

  /** Evaluates the loss once (fresh graph, session initialised); optional hook runs before evaluation. */
  static double[] eval(Loss loss, double[][] y, double[][] f, Class<? extends TNumber> type) {
    return evalRuns(loss, y, f, type, 1, null).get(0);
  }

  /** Evaluates the same graph {@code runs} times; {@code beforeRun} (may be null) gets the session first. */
  static List<double[]> evalRuns(Loss loss, double[][] y, double[][] f, Class<? extends TNumber> type, int runs,
      BiConsumer<Session, Integer> beforeRun) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat64> out = build(tf, loss, y, f, type);
      s.initialize();
      List<double[]> values = new ArrayList<>();
      for (int k = 0; k < runs; k++) {
        if (beforeRun != null) {
          beforeRun.accept(s, k);
        }
        values.add(fetch(s, out));
      }
      return values;
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Operand<TFloat64> build(Ops tf, Loss loss, double[][] y, double[][] f, Class<? extends TNumber> type) {
    Operand pred = constant(tf, f, (Class) type);
    Operand lab = tf.constant(y);
    return tf.dtypes.cast(loss.call(tf, lab, pred, null), TFloat64.class);
  }

  static double[] fetch(Session s, Operand<TFloat64> out) {
    try (TFloat64 t = (TFloat64) s.runner().fetch(out).run().get(0)) {
      double[] v = new double[(int) t.shape().size()];
      t.copyTo(DataBuffers.of(v, false, false));
      return v;
    }
  }

  static TFloat32 floats(Shape shape, float[] data) {
    return TFloat32.tensorOf(shape, DataBuffers.of(data));
  }
}
