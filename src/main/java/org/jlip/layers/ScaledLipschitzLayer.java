package org.jlip.layers;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A weight-free layer that is exactly 1-Lipschitz before its coefficient (kCoefLip times the model's share), so
 * its bound is that coefficient whatever the session holds.
 */
abstract class ScaledLipschitzLayer<C extends LayerConfig> extends LipschitzLayer<C> {

  protected ScaledLipschitzLayer(C config, String defaultName, double kCoefLip) {
    super(config, defaultName, kCoefLip);
  }

  @Override
  public final LayerBound bound(Session session) {
    return LayerBound.exact(nominalLipschitz());
  }

  /** {@code y} times the coefficient, with no multiply when it is 1 (the default) so most graphs carry none. */
  protected Operand<TFloat32> scaled(Ops tf, Operand<TFloat32> y) {
    double c = nominalLipschitz();
    return c == 1.0 ? y : tf.math.mul(y, tf.constant((float) c));
  }
}
