package org.jlip.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Bookkeeping shared by all layers: name, shapes, variable lists, state updates, the model's factor. */
public abstract class AbstractLipLayer<C extends LayerConfig> implements LipLayer {
  protected final C config;
  private String name;
  private double modelFactor = 1.0;
  protected long[] inputShape;
  protected long[] outputShape;
  private final List<Variable<TFloat32>> trainable = new ArrayList<>();
  private final List<Variable<TFloat32>> state = new ArrayList<>();
  private final List<Op> updates = new ArrayList<>();
  private final Map<String, Variable<TFloat32>> byRole = new LinkedHashMap<>();

  protected AbstractLipLayer(C config, String defaultName) {
    this.config = config;
    this.name = config.name() != null ? config.name() : defaultName;
  }

  @Override
  public C config() {
    return config;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void rename(String newName) {
    if (inputShape != null) {
      throw new IllegalStateException("layer " + name + " is already built");
    }
    this.name = Check.name(newName);
  }

  @Override
  public final long[] build(Ops tf, long[] inputShape, long seed) {
    if (this.inputShape != null) {
      throw new IllegalStateException("layer " + name + " is already built");
    }
    this.inputShape = inputShape.clone();
    this.outputShape = doBuild(tf, inputShape, seed);
    return outputShape.clone();
  }

  /** Creates the variables; returns the output shape. */
  protected abstract long[] doBuild(Ops tf, long[] inputShape, long seed);

  public long[] inputShape() {
    return inputShape.clone();
  }

  public long[] outputShape() {
    return outputShape.clone();
  }

  @Override
  public List<Variable<TFloat32>> trainableVariables() {
    return List.copyOf(trainable);
  }

  @Override
  public List<Variable<TFloat32>> stateVariables() {
    return List.copyOf(state);
  }

  @Override
  public List<Op> stateUpdates() {
    return List.copyOf(updates);
  }

  @Override
  public List<Op> condense(Ops tf) {
    return List.of();
  }

  @Override
  public void setModelFactor(double factor) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("model factor must be finite and > 0, got " + factor);
    }
    this.modelFactor = factor;
  }

  /** False unless a subclass proves a constant, so that no layer claims one by omission. */
  @Override
  public boolean isLipschitz() {
    return false;
  }

  /** Infinite (no claim) unless a subclass proves a constant. */
  @Override
  public double nominalLipschitz() {
    return Double.POSITIVE_INFINITY;
  }

  /** The layer's own kCoefLip times the model's share. */
  protected double coefficient(double kCoefLip) {
    return kCoefLip * modelFactor;
  }

  protected Variable<TFloat32> trainableVariable(Ops tf, String role, long[] shape, float[] init) {
    Variable<TFloat32> v = variable(tf, role, shape, init);
    trainable.add(v);
    return v;
  }

  /** The optional bias [units], zero-initialised as in Keras; null when {@code useBias} is false. */
  final Variable<TFloat32> biasVariable(Ops tf, boolean useBias, int units) {
    return useBias ? trainableVariable(tf, "bias", new long[] {units}, new float[units]) : null;
  }

  protected Variable<TFloat32> stateVariable(Ops tf, String role, long[] shape, float[] init) {
    Variable<TFloat32> v = variable(tf, role, shape, init);
    state.add(v);
    return v;
  }

  private Variable<TFloat32> variable(Ops tf, String role, long[] shape, float[] init) {
    if (byRole.containsKey(role)) {
      throw new IllegalStateException("layer " + name + " already has a variable with role '" + role + "'");
    }
    Variable<TFloat32> v = tf.withName(name + "_" + role)
        .variable(tf.constant(Shape.of(shape), DataBuffers.of(init, true, false)));
    byRole.put(role, v);
    return v;
  }

  /** Every variable (trainable and state) by role ("kernel", "bias", "u"...), in creation order. */
  public Map<String, Variable<TFloat32>> variablesByRole() {
    requireBuilt();
    return Collections.unmodifiableMap(byRole);
  }

  /**
   * Sets variables of this built layer from Java arrays: each value is fed through a placeholder into an
   * Assign op (no constant embeds the values in the graph), built in {@code tf}'s graph, which must be the
   * graph of {@code session}.
   *
   * @param weights role -> values in the variable's shape (row-major)
   * @throws IllegalArgumentException naming the layer and role when a role is unknown or a size is wrong
   */
  public void assignWeights(Ops tf, Session session, Map<String, float[]> weights) {
    requireBuilt();
    Session.Runner runner = session.runner();
    List<TFloat32> fed = new ArrayList<>();
    try {
      for (Map.Entry<String, float[]> e : weights.entrySet()) {
        Variable<TFloat32> v = byRole.get(e.getKey());
        if (v == null) {
          throw new IllegalArgumentException("layer " + name + " has no variable with role '" + e.getKey()
              + "'; roles: " + byRole.keySet());
        }
        Shape shape = v.shape();
        if (shape.size() != e.getValue().length) {
          throw new IllegalArgumentException("layer " + name + ", " + e.getKey() + ": expected " + shape.size()
              + " values for shape " + shape + ", got " + e.getValue().length);
        }
        Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
        Assign<TFloat32> assign = tf.assign(v, p);
        TFloat32 t = TFloat32.tensorOf(shape, DataBuffers.of(e.getValue(), true, false));
        fed.add(t);
        runner.feed(p, t).addTarget(assign);
      }
      if (!fed.isEmpty()) {
        runner.run().close();
      }
    } finally {
      fed.forEach(TFloat32::close);
    }
  }

  /** Records the state updates of a training call and makes {@code out} wait for them. */
  protected Operand<TFloat32> afterUpdates(Ops tf, Operand<TFloat32> out, List<Op> assigns) {
    updates.addAll(assigns);
    return tf.withControlDependencies(assigns).identity(out);
  }

  protected void requireBuilt() {
    if (inputShape == null) {
      throw new IllegalStateException("layer " + name + " is not built");
    }
  }

  protected void requireRank(long[] shape, int rank, String what) {
    if (shape.length != rank) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + " '" + name + "' needs " + what + " input (rank " + rank
              + " without the batch axis), got shape " + Arrays.toString(shape));
    }
  }

  /** The weights a {@link Condensable} layer exports: its inference kernel and, when present, its bias. */
  protected Map<String, float[]> exportedWeights(Session session, Operand<TFloat32> kernel,
      Operand<TFloat32> bias) {
    requireBuilt();
    Map<String, float[]> w = new java.util.LinkedHashMap<>();
    w.put("kernel", read(session, kernel));
    if (bias != null) {
      w.put("bias", read(session, bias));
    }
    return w;
  }

  /** Reads a variable's current value from a session. */
  protected static float[] read(Session session, Operand<TFloat32> variable) {
    try (Result r = session.runner().fetch(variable).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.shape().size()];
      t.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }
}
