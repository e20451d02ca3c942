package org.jlip.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jlip.certify.CertificateRule;
import org.jlip.layers.AbstractLipLayer;
import org.jlip.layers.DenseConfig;
import org.jlip.layers.FlattenConfig;
import org.jlip.layers.LayerConfig;
import org.jlip.layers.LipLayer;
import org.jlip.layers.ReLUConfig;
import org.jlip.model.LipschitzSequential;
import org.jlip.model.ModelSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/** A small trained-looking model (Flatten, Dense, ReLU, Dense) with known weights in a live session. */
final class ExportFixtures implements AutoCloseable {
  final Graph graph = new Graph();
  final Ops tf = Ops.create(graph);
  final LipschitzSequential model;
  final Session session;

  /** inputShape e.g. [4, 4, 1]; hidden units; outputs classes (1 = binary). */
  ExportFixtures(List<Integer> inputShape, int hidden, int outputs, boolean initialise, long seed) {
    List<LayerConfig> layers = List.of(new FlattenConfig(null), new DenseConfig(hidden), new ReLUConfig(null),
        new DenseConfig(outputs));
    model = new LipschitzSequential(
        new ModelSpec("fixture", inputShape, layers, null, true, null, null));
    model.build(tf, 1);
    // autoInit off: a session that nobody initialised must stay uninitialised (the exporter refuses it)
    session = new Session(graph, false);
    if (initialise) {
      session.initialize();
      setWeights(seed);
    }
  }

  /** Deterministic weights from {@code seed}, scaled so logits are of order 1. */
  void setWeights(long seed) {
    Random r = new Random(seed);
    for (LipLayer l : model.layers()) {
      AbstractLipLayer<?> a = (AbstractLipLayer<?>) l;
      if (a.trainableVariables().isEmpty()) {
        continue;
      }
      Map<String, float[]> w = new java.util.LinkedHashMap<>();
      a.variablesByRole().forEach((role, v) -> {
        float[] values = new float[(int) v.shape().size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (r.nextGaussian() * 0.5);
        }
        w.put(role, values);
      });
      a.assignWeights(tf, session, w);
    }
  }

  static float[] inputs(int n, long[] shape, long seed) {
    int size = n;
    for (long d : shape) {
      size *= (int) d;
    }
    Random r = new Random(seed);
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = r.nextFloat();
    }
    return x;
  }

  float[] liveLogits(float[] x, int n) {
    return Inference.run(session, model.input(), model.inferenceOutput(), x, n, model.spec().inputShapeArray());
  }

  /** Names of the variables a loaded graph holds (VariableV2 and resource handles). */
  static List<String> variableNames(Graph g) {
    List<String> names = new ArrayList<>();
    g.operations().forEachRemaining(op -> {
      if (op.type().equals("VariableV2") || op.type().equals("VarHandleOp") || op.type().equals("Variable")) {
        names.add(op.name());
      }
    });
    return names;
  }

  /** Independent certificate: (top1 - top2) / (divisor L), or |f| / L for one output. */
  static float[] javaRadii(float[] logits, int outputs, double lipschitz, CertificateRule rule) {
    int n = logits.length / outputs;
    float[] r = new float[n];
    for (int i = 0; i < n; i++) {
      if (outputs == 1) {
        r[i] = (float) (Math.abs(logits[i]) / lipschitz);
        continue;
      }
      double first = Double.NEGATIVE_INFINITY;
      double second = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < outputs; k++) {
        double v = logits[i * outputs + k];
        if (v > first) {
          second = first;
          first = v;
        } else if (v > second) {
          second = v;
        }
      }
      r[i] = (float) ((first - second) / (rule.divisor() * lipschitz));
    }
    return r;
  }


  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
