package org.jlip.layers;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A layer of a jlip model: Keras's contract (configuration, build once, call many times) in TensorFlow Java's
 * graph style. Shapes never include the batch dimension; images are NHWC.
 *
 * <p>Lifecycle: {@link #build} once in a graph (creates variables), then {@link #call} any number of times in
 * that graph. A training call recomputes constrained weights from the trainable kernel and attaches the updates
 * of the state variables (power-iteration vector, sigma, W_bar) to its output as control dependencies, so every
 * run of the training output leaves the state consistent. An inference call only reads the state.
 */
public interface LipLayer {

  /** The validated configuration this layer was made from. */
  LayerConfig config();

  /** Flat name (no '/'), unique within a model: variables are named {@code <name>_<role>}. */
  String name();

  /** Renames the layer before it is built (the model makes names unique). */
  void rename(String newName);

  /**
   * Creates this layer's variables in {@code tf}'s graph for inputs of {@code inputShape} (no batch dimension).
   *
   * @param seed seed of the layer's initialisers
   * @return the output shape (no batch dimension)
   * @throws IllegalArgumentException if the input shape does not suit the layer, naming the layer and shape
   */
  long[] build(Ops tf, long[] inputShape, long seed);

  /** Output for a batch {@code x}; {@code training} selects recomputed weights (and state updates). */
  Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training);

  /** Variables the optimizer trains. */
  List<Variable<TFloat32>> trainableVariables();

  /** Non-trainable state (u, sigma, W_bar...): checkpointed, never differentiated. */
  List<Variable<TFloat32>> stateVariables();

  /** The state-update ops created by training calls so far (empty for stateless layers). */
  List<Op> stateUpdates();

  /**
   * Ops that recompute the state from the current trainable weights without a forward pass (what deel-lip calls
   * condensing): run before inference or export so W_bar reflects the last optimizer step.
   */
  List<Op> condense(Ops tf);

  /**
   * Each trainable kernel with the state variable that holds its constrained form W_bar (same shape), for training
   * that moves the kernel onto W_bar before each update ({@code reprojectKernel}); empty for layers without one.
   */
  default Map<Variable<TFloat32>, Variable<TFloat32>> constrainedKernels() {
    return Map.of();
  }

  /** True when the layer is Lipschitz by construction (its {@link #nominalLipschitz()} is a guarantee). */
  boolean isLipschitz();

  /** The Lipschitz constant the construction claims (kCoefLip times the model's factor; infinity if none). */
  double nominalLipschitz();

  /** The model's share of its kCoefLip (k^(1/n)); multiplies this layer's own coefficient. */
  void setModelFactor(double factor);

  /**
   * Whether the layer has a coefficient the model's kCoefLip is spread over, as deel-lip's LipschitzLayer
   * subclasses do. Weight-free layers fixed at 1 (Flatten, ReLU, permutations, max pooling) take no share.
   */
  default boolean takesModelFactor() {
    return isLipschitz();
  }

  /** The Lipschitz bound actually achieved with the inference weights held in {@code session}. */
  LayerBound bound(Session session);

  /**
   * The bound of this layer at its place in a model: a bound that holds per output only (a disjoint-neuron
   * FrobeniusDense) is sound for the certificate of the head alone; a hidden layer's outputs all feed the next
   * layer, so it must be bounded as a whole.
   */
  default LayerBound bound(Session session, boolean head) {
    return bound(session);
  }
}
