package org.jlip.layers;

/** sqrt(sum over H, W of x^2) per channel. Output [C]. */
public record ScaledGlobalL2NormPooling2DConfig(Double kCoefLip, String name) implements LayerConfig {

  public ScaledGlobalL2NormPooling2DConfig {
    kCoefLip = Check.positive("kCoefLip", kCoefLip, 1.0);
    name = Check.name(name);
  }

  public ScaledGlobalL2NormPooling2DConfig() {
    this(null, null);
  }

  @Override
  public LipLayer create() {
    return new ScaledGlobalL2NormPooling2D(this);
  }
}
