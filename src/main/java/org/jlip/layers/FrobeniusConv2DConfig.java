package org.jlip.layers;

import java.util.List;

/** Convolution (stride 1, padding same): kernel / ||kernel||_F times the conv correction coefficient. */
public record FrobeniusConv2DConfig(
    Integer filters, List<Integer> kernelSize, Boolean useBias, Double kCoefLip, String name)
    implements LayerConfig {

  public FrobeniusConv2DConfig {
    filters = Check.positive("filters", filters, 0);
    kernelSize = Check.pair("kernelSize", kernelSize, 3);
    useBias = useBias == null || useBias;
    kCoefLip = Check.positive("kCoefLip", kCoefLip, 1.0);
    name = Check.name(name);
  }

  @Override
  public LipLayer create() {
    return new FrobeniusConv2D(this);
  }
}
