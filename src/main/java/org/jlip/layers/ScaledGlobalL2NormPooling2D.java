package org.jlip.layers;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** STUB: to be implemented. */
public final class ScaledGlobalL2NormPooling2D extends AbstractLipLayer<ScaledGlobalL2NormPooling2DConfig> {

  public ScaledGlobalL2NormPooling2D(ScaledGlobalL2NormPooling2DConfig config) {
    super(config, "scaled_global_l2_norm_pooling2d");
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  @Override
  public boolean isLipschitz() {
    return true;
  }

  @Override
  public double nominalLipschitz() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  @Override
  public LayerBound bound(Session session) {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
