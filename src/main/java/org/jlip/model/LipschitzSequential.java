package org.jlip.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.jlip.layers.FrobeniusDense;
import org.jlip.layers.FrobeniusDenseConfig;
import org.jlip.layers.LayerBound;
import org.jlip.layers.LayerConfig;
import org.jlip.layers.LipLayer;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A sequence of layers on a fixed input shape. {@link #build} creates the variables and two graphs over one
 * input placeholder in one TensorFlow Graph: a training output (recomputes constrained weights and updates the
 * layers' state in the same run) and an inference output (reads only the state).
 *
 * <p>Refuses layers that are not Lipschitz by construction unless the spec sets {@code allowNonLipschitz}. The
 * spec's kCoefLip k is spread as k^(1/n) over its n Lipschitz layers, as deel-lip's Sequential does.
 */
public final class LipschitzSequential {
  /** Name of the input placeholder (and of the SavedModel signature's input). */
  public static final String INPUT_NAME = "x";

  private final ModelSpec spec;
  private final List<LipLayer> layers = new ArrayList<>();
  private long[] outputShape;
  private Placeholder<TFloat32> input;
  private Operand<TFloat32> trainingOutput;
  private Operand<TFloat32> inferenceOutput;

  public LipschitzSequential(ModelSpec spec) {
    this.spec = spec;
    Set<String> taken = new HashSet<>();
    spec.layers().stream().map(LayerConfig::name).filter(n -> n != null).forEach(n -> {
      if (!taken.add(n)) {
        throw new IllegalArgumentException("duplicate layer name '" + n + "'");
      }
    });
    int lipschitzLayers = 0; // those with a coefficient: kCoefLip is spread over them as k^(1/n)
    for (int i = 0; i < spec.layers().size(); i++) {
      LayerConfig c = spec.layers().get(i);
      LipLayer layer = c.create();
      if (!layer.isLipschitz() && !spec.allowNonLipschitz()) {
        throw new IllegalArgumentException("layer " + i + " (" + c.type() + ") is not Lipschitz by construction;"
            + " set allowNonLipschitz to build an unconstrained model");
      }
      if (layer.takesModelFactor()) {
        lipschitzLayers++;
      }
      if (c.name() == null) {
        // Keras-style unique names: dense, dense_1, dense_2...
        String base = layer.name();
        String name = base;
        for (int k = 1; taken.contains(name); k++) {
          name = base + "_" + k;
        }
        taken.add(name);
        layer.rename(name);
      }
      layers.add(layer);
    }
    if (spec.kCoefLip() != null && lipschitzLayers > 0) {
      double share = Math.pow(spec.kCoefLip(), 1.0 / lipschitzLayers);
      for (LipLayer l : layers) {
        if (l.takesModelFactor()) {
          l.setModelFactor(share);
        }
      }
    }
  }

  public ModelSpec spec() {
    return spec;
  }

  public List<LipLayer> layers() {
    return List.copyOf(layers);
  }

  /**
   * Creates the variables, the input placeholder {@value #INPUT_NAME} [-1, inputShape...] and the training and
   * inference outputs. Layer i's initialisers are seeded with {@code seed + i}.
   */
  public void build(Ops tf, long seed) {
    if (input != null) {
      throw new IllegalStateException("model already built");
    }
    long[] shape = spec.inputShapeArray();
    for (int i = 0; i < layers.size(); i++) {
      try {
        shape = layers.get(i).build(tf, shape, seed + i);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("layer " + i + " (" + spec.layers().get(i).type() + "): "
            + e.getMessage(), e);
      }
    }
    outputShape = shape;
    long[] batched = new long[spec.inputShape().size() + 1];
    batched[0] = -1;
    System.arraycopy(spec.inputShapeArray(), 0, batched, 1, batched.length - 1);
    input = tf.withName(INPUT_NAME).placeholder(TFloat32.class, Placeholder.shape(Shape.of(batched)));
    trainingOutput = call(tf, input, true);
    inferenceOutput = call(tf, input, false);
  }

  /** Applies the built layers to any batch (attacks, bounds and exports call this on their own inputs). */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    Operand<TFloat32> h = x;
    for (LipLayer l : layers) {
      h = l.call(tf, h, training);
    }
    return h;
  }

  public Placeholder<TFloat32> input() {
    return requireBuilt(input);
  }

  public Operand<TFloat32> trainingOutput() {
    return requireBuilt(trainingOutput);
  }

  public Operand<TFloat32> inferenceOutput() {
    return requireBuilt(inferenceOutput);
  }

  public long[] outputShape() {
    return requireBuilt(outputShape).clone();
  }

  public List<Variable<TFloat32>> trainableVariables() {
    requireBuilt(input);
    return layers.stream().flatMap(l -> l.trainableVariables().stream()).toList();
  }

  public List<Variable<TFloat32>> stateVariables() {
    requireBuilt(input);
    return layers.stream().flatMap(l -> l.stateVariables().stream()).toList();
  }

  /** Every state update attached to the training output; running that output runs them. */
  public List<Op> stateUpdates() {
    requireBuilt(input);
    return layers.stream().flatMap(l -> l.stateUpdates().stream()).toList();
  }

  /** Builds ops that recompute every layer's state from its current weights (before inference or export). */
  public List<Op> condense(Ops tf) {
    requireBuilt(input);
    return layers.stream().flatMap(l -> l.condense(tf).stream()).toList();
  }

  /** Every layer's kernels with the W_bar state variables that hold their constrained forms, in layer order. */
  public Map<Variable<TFloat32>, Variable<TFloat32>> constrainedKernels() {
    requireBuilt(input);
    Map<Variable<TFloat32>, Variable<TFloat32>> all = new LinkedHashMap<>();
    layers.forEach(l -> all.putAll(l.constrainedKernels()));
    return all;
  }

  /** Product of the layers' nominal coefficients (infinite when a layer is unconstrained). */
  public double nominalLipschitz() {
    return layers.stream().mapToDouble(LipLayer::nominalLipschitz).reduce(1, (a, b) -> a * b);
  }

  /** Per-layer nominal and measured bounds from the weights in {@code session}. */
  public ModelBound bound(Session session) {
    requireBuilt(input);
    // In parallel: a conv layer's bound (eigenproblems per frequency, Lanczos) takes seconds, and layers share
    // nothing but the session, which is thread-safe.
    int lastIndex = layers.size() - 1;
    List<LayerBound> bounds = IntStream.rangeClosed(0, lastIndex).parallel()
        .mapToObj(i -> layers.get(i).bound(session, i == lastIndex)).toList();
    LipLayer last = layers.get(lastIndex);
    float[] headNorms = disjointHead() && last instanceof FrobeniusDense f ? f.columnNorms(session) : null;
    return new ModelBound(layers.stream().map(LipLayer::name).toList(), bounds, disjointHead(), headNorms);
  }

  /** True when the last layer is a FrobeniusDense with disjoint neurons: each logit is Lipschitz on its own. */
  public boolean disjointHead() {
    LayerConfig last = spec.layers().get(spec.layers().size() - 1);
    return last instanceof FrobeniusDenseConfig f && f.disjointNeurons();
  }

  private <T> T requireBuilt(T value) {
    if (value == null) {
      throw new IllegalStateException("model not built: call build(tf, seed) first");
    }
    return value;
  }
}
