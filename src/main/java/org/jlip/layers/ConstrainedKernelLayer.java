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
 * A dense or convolution layer whose constrained kernel W_bar is cached in the state variable {@code wbar}, as in
 * deel-lip: a training call recomputes W_bar from the trainable kernel and stores it with the normaliser's state,
 * an inference call only reads it, and the layer exports as a plain layer holding W_bar and the bias.
 */
abstract class ConstrainedKernelLayer<C extends LayerConfig> extends LipschitzLayer<C> implements Condensable {
  protected Variable<TFloat32> kernel;
  protected Variable<TFloat32> bias;
  protected Variable<TFloat32> wbar;

  protected ConstrainedKernelLayer(C config, String defaultName, double kCoefLip) {
    super(config, defaultName, kCoefLip);
  }

  /**
   * Creates the kernel (shape {@code dims}, read as [fanIn, units]) from an orthogonal initial value, which it
   * returns so that wbar can start from it, and the optional bias [units].
   */
  protected float[] createKernel(Ops tf, long[] dims, int fanIn, int units, boolean useBias, long seed) {
    float[] init = Initializers.orthogonal(fanIn, units, seed);
    kernel = trainableVariable(tf, "kernel", dims, init);
    bias = biasVariable(tf, useBias, units);
    return init;
  }

  /** W_bar recomputed from the kernel, and the assigns that store it and the normaliser's state. */
  protected record Update(Operand<TFloat32> w, List<Op> assigns) {}

  protected abstract Update update(Ops tf);

  /** The layer's map with kernel {@code w}: x W + b, or the convolution of x by W plus b. */
  protected abstract Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w);

  @Override
  public final Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    requireBuilt();
    if (!training) {
      return apply(tf, x, tf.identity(wbar));
    }
    Update up = update(tf);
    return afterUpdates(tf, apply(tf, x, up.w()), up.assigns());
  }

  @Override
  public final List<Op> condense(Ops tf) {
    requireBuilt();
    return update(tf).assigns();
  }

  @Override
  public final Map<Variable<TFloat32>, Variable<TFloat32>> constrainedKernels() {
    requireBuilt();
    return Map.of(kernel, wbar);
  }

  @Override
  public final Map<String, float[]> vanillaWeights(Session session) {
    return exportedWeights(session, wbar, bias);
  }
}
