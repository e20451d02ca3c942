package org.jlip.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** max(x, 0), element-wise: 1-Lipschitz. */
public final class ReLU extends UnitLipschitzLayer<ReLUConfig> {

  public ReLU(ReLUConfig config) {
    super(config, "re_lu");
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    return inputShape.clone();
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    return tf.nn.relu(x);
  }
}
