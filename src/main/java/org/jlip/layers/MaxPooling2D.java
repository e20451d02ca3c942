package org.jlip.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * max over non-overlapping windows (stride = pool size, VALID): 1-Lipschitz in L2, since each output moves by at
 * most the largest change in its window, |max(a) - max(b)| <= ||a - b||_inf <= ||a - b||_2, and the windows are
 * disjoint. Tight: a change of one window's maximum passes through unchanged. Unlike the scaled poolings it loses
 * norm on smooth inputs, which is why deel-lip prefers ScaledL2NormPooling2D; it is here for unconstrained
 * baselines and the plain conv nets they are timed against.
 */
public final class MaxPooling2D extends UnitLipschitzLayer<MaxPooling2DConfig> {

  public MaxPooling2D(MaxPooling2DConfig config) {
    super(config, "max_pooling2d");
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    requireRank(inputShape, 3, "an [H, W, C]");
    return Windows.pooledShape("MaxPooling2D '" + name() + "'", inputShape, config.poolSize());
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    requireBuilt();
    int[] window = {1, config.poolSize().get(0), config.poolSize().get(1), 1};
    return tf.nn.maxPool(x, tf.constant(window), tf.constant(window), "VALID");
  }
}
