package org.jlip.layers;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** STUB: to be implemented. */
public final class SpectralConv2D extends AbstractLipLayer<SpectralConv2DConfig> {

  public SpectralConv2D(SpectralConv2DConfig config) {
    super(config, "spectral_conv2d");
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
