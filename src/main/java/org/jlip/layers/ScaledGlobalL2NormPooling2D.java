package org.jlip.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * sqrt(sum over H, W of x^2 + 1e-12) per channel, times the layer coefficient: [H, W, C] -> [C].
 *
 * <p>The 1e-12 departs from the formula sqrt(sum x^2) only to keep the gradient finite for an all-zero channel
 * (without it the gradient there is 0 * infinity = NaN, which would poison a training step); it moves no float32
 * output above 1e-6 in absolute value. It keeps the layer exactly 1-Lipschitz: each output is the Euclidean norm
 * of the channel with a constant coordinate appended.
 */
public final class ScaledGlobalL2NormPooling2D extends ScaledLipschitzLayer<ScaledGlobalL2NormPooling2DConfig> {
  static final float EPS = 1e-12f;

  public ScaledGlobalL2NormPooling2D(ScaledGlobalL2NormPooling2DConfig config) {
    super(config, "scaled_global_l2_norm_pooling2d", config.kCoefLip());
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    requireRank(inputShape, 3, "an [H, W, C]");
    return new long[] {inputShape[2]};
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    requireBuilt();
    Operand<TFloat32> sumSquares = tf.reduceSum(tf.math.square(x), tf.constant(new int[] {1, 2}));
    Operand<TFloat32> norm = tf.math.sqrt(tf.math.add(sumSquares, tf.constant(EPS)));
    return scaled(tf, norm);
  }
}
