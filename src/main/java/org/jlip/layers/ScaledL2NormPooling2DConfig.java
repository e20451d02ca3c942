package org.jlip.layers;

import java.util.List;

/** sqrt(avgpool(x^2) + 1e-6) * sqrt(ph*pw): the L2 norm of each non-overlapping window. */
public record ScaledL2NormPooling2DConfig(List<Integer> poolSize, Double kCoefLip, String name) implements LayerConfig {

  public ScaledL2NormPooling2DConfig {
    poolSize = Check.pair("poolSize", poolSize, 2);
    kCoefLip = Check.positive("kCoefLip", kCoefLip, 1.0);
    name = Check.name(name);
  }

  public ScaledL2NormPooling2DConfig() {
    this(null, null, null);
  }

  @Override
  public LipLayer create() {
    return new ScaledL2NormPooling2D(this);
  }
}
