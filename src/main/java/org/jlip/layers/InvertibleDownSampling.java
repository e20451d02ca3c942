package org.jlip.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Space-to-depth: [H, W, C] -> [H/ph, W/pw, ph*pw*C], output channel (i*pw + j)*C + c holding x[ph*h + i, pw*w + j,
 * c] (deel-lip's concat of x[:, i::ph, j::pw, :] over i, j; TensorFlow's space_to_depth order). A permutation of
 * the values, so exactly 1-Lipschitz; it has no coefficient. Built as reshape [H/ph, ph, W/pw, pw, C], transpose
 * to [H/ph, W/pw, ph, pw, C], reshape, which also covers rectangular pools (SpaceToDepth takes one block size).
 */
public final class InvertibleDownSampling extends UnitLipschitzLayer<InvertibleDownSamplingConfig> {

  public InvertibleDownSampling(InvertibleDownSamplingConfig config) {
    super(config, "invertible_down_sampling");
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    requireRank(inputShape, 3, "an [H, W, C]");
    long[] hw = Windows.pooledSize("InvertibleDownSampling '" + name() + "'", inputShape, config.poolSize());
    long ph = config.poolSize().get(0);
    long pw = config.poolSize().get(1);
    return new long[] {hw[0], hw[1], inputShape[2] * ph * pw};
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    requireBuilt();
    long ph = config.poolSize().get(0);
    long pw = config.poolSize().get(1);
    long c = inputShape[2];
    Operand<TFloat32> blocks =
        tf.reshape(x, tf.constant(new long[] {-1, outputShape[0], ph, outputShape[1], pw, c}));
    Operand<TFloat32> moved = tf.linalg.transpose(blocks, tf.constant(new int[] {0, 1, 3, 2, 4, 5}));
    return tf.reshape(moved, tf.constant(new long[] {-1, outputShape[0], outputShape[1], outputShape[2]}));
  }
}
