package org.jlip.layers;

import org.tensorflow.Session;

/**
 * A weight-free layer that is 1-Lipschitz by construction (reshapes, permutations, ReLU, max pooling over disjoint
 * windows): its bound is exactly 1, whatever the session holds.
 */
abstract class UnitLipschitzLayer<C extends LayerConfig> extends AbstractLipLayer<C> {

  protected UnitLipschitzLayer(C config, String defaultName) {
    super(config, defaultName);
  }

  @Override
  public final boolean isLipschitz() {
    return true;
  }

  @Override
  public final double nominalLipschitz() {
    return 1.0;
  }

  @Override
  public final boolean takesModelFactor() {
    return false;
  }

  @Override
  public final LayerBound bound(Session session) {
    return LayerBound.exact(1.0);
  }
}
