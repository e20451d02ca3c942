package org.jlip.layers;

/** mean over H, W times sqrt(H*W) per channel. Output [C]. */
public record ScaledGlobalAveragePooling2DConfig(Double kCoefLip, String name) implements LayerConfig {

  public ScaledGlobalAveragePooling2DConfig {
    kCoefLip = Check.positive("kCoefLip", kCoefLip, 1.0);
    name = Check.name(name);
  }

  public ScaledGlobalAveragePooling2DConfig() {
    this(null, null);
  }

  @Override
  public LipLayer create() {
    return new ScaledGlobalAveragePooling2D(this);
  }
}
