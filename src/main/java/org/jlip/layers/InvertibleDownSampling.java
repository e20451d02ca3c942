package org.jlip.layers;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** STUB: to be implemented. */
public final class InvertibleDownSampling extends AbstractLipLayer<InvertibleDownSamplingConfig> {

  public InvertibleDownSampling(InvertibleDownSamplingConfig config) {
    super(config, "invertible_down_sampling");
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
