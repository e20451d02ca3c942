package org.jlip.layers;

/**
 * A layer that is Lipschitz by construction, as deel-lip's {@code LipschitzLayer}: its constant is its own
 * kCoefLip times the share of the model's kCoefLip that the model gives it.
 */
abstract class LipschitzLayer<C extends LayerConfig> extends AbstractLipLayer<C> {
  private final double kCoefLip;

  protected LipschitzLayer(C config, String defaultName, double kCoefLip) {
    super(config, defaultName);
    this.kCoefLip = kCoefLip;
  }

  @Override
  public final boolean isLipschitz() {
    return true;
  }

  @Override
  public final double nominalLipschitz() {
    return coefficient(kCoefLip);
  }
}
