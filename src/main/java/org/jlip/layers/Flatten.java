package org.jlip.layers;

import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Flattens each sample row-major (H, W, C order for NHWC input): a permutation-free reshape, 1-Lipschitz. */
public final class Flatten extends UnitLipschitzLayer<FlattenConfig> {

  public Flatten(FlattenConfig config) {
    super(config, "flatten");
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    return new long[] {Arrays.stream(inputShape).reduce(1, (a, b) -> a * b)};
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    requireBuilt();
    return tf.reshape(x, tf.constant(new long[] {-1, outputShape[0]}));
  }
}
