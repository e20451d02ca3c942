package org.jlip.layers;

import java.util.List;

/** A plain, unconstrained convolution (padding "same" or "valid"); see {@link DenseConfig}. */
public record Conv2DConfig(
    Integer filters, List<Integer> kernelSize, List<Integer> strides, String padding, Boolean useBias, String name)
    implements LayerConfig {

  public Conv2DConfig {
    filters = Check.positive("filters", filters, 0);
    kernelSize = Check.pair("kernelSize", kernelSize, 3);
    strides = Check.pair("strides", strides, 1);
    padding = Check.oneOf("padding", padding, "same", "same", "valid");
    useBias = useBias == null || useBias;
    name = Check.name(name);
  }

  @Override
  public LipLayer create() {
    return new Conv2D(this);
  }
}
