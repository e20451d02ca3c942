package org.jlip.layers;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** max(x, 0), element-wise: 1-Lipschitz. */
public final class ReLU extends AbstractLipLayer<ReLUConfig> {

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

  @Override
  public boolean isLipschitz() {
    return true;
  }

  @Override
  public double nominalLipschitz() {
    return 1.0;
  }

  @Override
  public LayerBound bound(Session session) {
    return LayerBound.exact(1.0);
  }
}
