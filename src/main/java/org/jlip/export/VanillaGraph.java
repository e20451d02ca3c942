package org.jlip.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jlip.layers.AbstractLipLayer;
import org.jlip.layers.Condensable;
import org.jlip.layers.LayerConfig;
import org.jlip.layers.LipLayer;
import org.jlip.model.LipschitzSequential;
import org.jlip.model.ModelSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The plain (condensed) form of a model in a graph and session of its own: input placeholder, inference logits,
 * the weights copied in. What an export saves and what the benchmark runs directly.
 */
final class VanillaGraph implements AutoCloseable {
  final Graph graph;
  final Ops tf;
  final Session session;
  final LipschitzSequential model;
  final Placeholder<TFloat32> input;
  final Operand<TFloat32> logits;

  private VanillaGraph(ModelSpec spec, List<Map<String, float[]>> weights) {
    graph = new Graph();
    try {
      tf = Ops.create(graph);
      model = new LipschitzSequential(spec);
      // Layers are built one by one (not model.build) so that the graph holds the inference path only.
      long[] shape = spec.inputShapeArray();
      for (int i = 0; i < model.layers().size(); i++) {
        shape = model.layers().get(i).build(tf, shape, i);
      }
      long[] batched = new long[spec.inputShape().size() + 1];
      batched[0] = -1;
      System.arraycopy(spec.inputShapeArray(), 0, batched, 1, batched.length - 1);
      input = tf.withName(LipschitzSequential.INPUT_NAME)
          .placeholder(TFloat32.class, Placeholder.shape(Shape.of(batched)));
      logits = tf.withName("logits").identity(model.call(tf, input, false));
      session = new Session(graph);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
    try {
      session.initialize();
      for (int i = 0; i < weights.size(); i++) {
        if (!weights.get(i).isEmpty()) {
          ((AbstractLipLayer<?>) model.layers().get(i)).assignWeights(tf, session, weights.get(i));
        }
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** A fresh graph of {@code spec} (plain layers) holding {@code weights} (one role map per layer, in order). */
  static VanillaGraph build(ModelSpec spec, List<Map<String, float[]>> weights) {
    if (weights.size() != spec.layers().size()) {
      throw new IllegalArgumentException("expected weights for " + spec.layers().size() + " layers, got "
          + weights.size());
    }
    return new VanillaGraph(spec, weights);
  }

  /**
   * The plain description of {@code model}: Condensable layers as their vanilla configuration, weightless layers
   * as themselves. The model's kCoefLip share k^(1/n) stays on the m weightless Lipschitz layers by giving the
   * plain model k^(m/n) (it spreads that over those m layers alone); the rest is folded into the weights.
   */
  static ModelSpec vanillaSpec(LipschitzSequential model) {
    List<LayerConfig> configs = new ArrayList<>();
    int lipschitz = 0;
    int weightlessLipschitz = 0;
    List<LipLayer> layers = model.layers();
    for (int i = 0; i < layers.size(); i++) {
      LipLayer l = layers.get(i);
      if (l.isLipschitz()) {
        lipschitz++;
      }
      if (l instanceof Condensable c) {
        configs.add(c.vanillaConfig());
      } else if (l.trainableVariables().isEmpty() && l.stateVariables().isEmpty()) {
        configs.add(l.config());
        if (l.isLipschitz()) {
          weightlessLipschitz++;
        }
      } else {
        throw new IllegalArgumentException("layer " + i + " (" + l.config().type() + " '" + l.name()
            + "') has weights but cannot be condensed into a plain layer (not Condensable)");
      }
    }
    ModelSpec spec = model.spec();
    Double k = spec.kCoefLip() == null || weightlessLipschitz == 0
        ? null : Math.pow(spec.kCoefLip(), (double) weightlessLipschitz / lipschitz);
    return new ModelSpec(spec.name(), spec.inputShape(), configs, k, true, spec.classNames(), null);
  }

  @Override
  public void close() {
    try {
      session.close();
    } finally {
      graph.close();
    }
  }
}
