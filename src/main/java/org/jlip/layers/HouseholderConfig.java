package org.jlip.layers;

/**
 * deel-lip's Householder activation over the last axis (even size C): a trainable reflection angle per pair
 * (x_i, x_{i + C/2}).
 *
 * @param thetaInitial every angle's initial value (default pi/2, where the layer is GroupSort2 on those pairs)
 */
public record HouseholderConfig(Double thetaInitial, String name) implements LayerConfig {

  public HouseholderConfig {
    thetaInitial = thetaInitial == null ? Math.PI / 2 : thetaInitial;
    if (!Double.isFinite(thetaInitial)) {
      throw new IllegalArgumentException("thetaInitial must be finite, got " + thetaInitial);
    }
    name = Check.name(name);
  }

  @Override
  public LipLayer create() {
    return new Householder(this);
  }
}
