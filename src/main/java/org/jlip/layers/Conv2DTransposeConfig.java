package org.jlip.layers;

import java.util.List;

/**
 * A plain, unconstrained transposed convolution (Keras's Conv2DTranspose: padding "same" or "valid", no
 * output_padding or dilation); what a {@link SpectralConv2DTransposeConfig} layer exports as.
 */
public record Conv2DTransposeConfig(
    Integer filters, List<Integer> kernelSize, List<Integer> strides, String padding, Boolean useBias, String name)
    implements LayerConfig {

  public Conv2DTransposeConfig {
    filters = Check.positive("filters", filters, 0);
    kernelSize = Check.pair("kernelSize", kernelSize, 3);
    strides = Check.pair("strides", strides, 1);
    padding = Check.oneOf("padding", padding, "same", "same", "valid");
    useBias = useBias == null || useBias;
    name = Check.name(name);
  }

  @Override
  public LipLayer create() {
    return new Conv2DTranspose(this);
  }
}
