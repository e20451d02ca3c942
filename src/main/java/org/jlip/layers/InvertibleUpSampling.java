package org.jlip.layers;

import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Depth-to-space: [H, W, ph*pw*C] -> [H*ph, W*pw, C], input channel (i*pw + j)*C + c going to [ph*h + i, pw*w + j,
 * c]: the inverse of {@link InvertibleDownSampling} (TensorFlow's depth_to_space order for square pools). A
 * permutation of the values, so exactly 1-Lipschitz; it has no coefficient.
 */
public final class InvertibleUpSampling extends UnitLipschitzLayer<InvertibleUpSamplingConfig> {

  public InvertibleUpSampling(InvertibleUpSamplingConfig config) {
    super(config, "invertible_up_sampling");
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    requireRank(inputShape, 3, "an [H, W, C]");
    long block = (long) config.poolSize().get(0) * config.poolSize().get(1);
    if (inputShape[2] % block != 0) {
      throw new IllegalArgumentException("InvertibleUpSampling '" + name() + "': input channels " + inputShape[2]
          + " are not divisible by poolSize[0] * poolSize[1] = " + block + " (poolSize " + config.poolSize()
          + ", input shape " + Arrays.toString(inputShape) + ")");
    }
    return new long[] {inputShape[0] * config.poolSize().get(0), inputShape[1] * config.poolSize().get(1),
        inputShape[2] / block};
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    requireBuilt();
    long ph = config.poolSize().get(0);
    long pw = config.poolSize().get(1);
    long c = outputShape[2];
    Operand<TFloat32> blocks = tf.reshape(x, tf.constant(new long[] {-1, inputShape[0], inputShape[1], ph, pw, c}));
    Operand<TFloat32> moved = tf.linalg.transpose(blocks, tf.constant(new int[] {0, 1, 3, 2, 4, 5}));
    return tf.reshape(moved, tf.constant(new long[] {-1, outputShape[0], outputShape[1], c}));
  }
}
