package org.jlip.layers;

import java.util.List;

/** avgpool(x) * sqrt(ph*pw) over non-overlapping windows. */
public record ScaledAveragePooling2DConfig(List<Integer> poolSize, Double kCoefLip, String name) implements LayerConfig {

  public ScaledAveragePooling2DConfig {
    poolSize = Check.pair("poolSize", poolSize, 2);
    kCoefLip = Check.positive("kCoefLip", kCoefLip, 1.0);
    name = Check.name(name);
  }

  public ScaledAveragePooling2DConfig() {
    this(null, null, null);
  }

  @Override
  public LipLayer create() {
    return new ScaledAveragePooling2D(this);
  }
}
