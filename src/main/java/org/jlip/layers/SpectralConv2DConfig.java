package org.jlip.layers;

import java.util.List;
import org.jlip.normalize.NormalizerParams;

/**
 * Convolution (padding "same") whose reshaped kernel is spectrally normalised, Bjorck-orthonormalised and scaled
 * by the conv correction coefficient (deel-lip SpectralConv2D). {@code exact} adds a division by the true
 * operator norm on the build-time input size, estimated by a persistent power iteration on the convolution.
 */
public record SpectralConv2DConfig(
    Integer filters,
    List<Integer> kernelSize,
    List<Integer> strides,
    String padding,
    Boolean useBias,
    Double kCoefLip,
    Double epsSpectral,
    Integer maxIterSpectral,
    Double epsBjorck,
    Integer maxIterBjorck,
    Double betaBjorck,
    Boolean exact,
    String name)
    implements LayerConfig {

  public SpectralConv2DConfig {
    filters = Check.positive("filters", filters, 0);
    kernelSize = Check.pair("kernelSize", kernelSize, 3);
    strides = Check.pair("strides", strides, 1);
    padding = Check.oneOf("padding", padding, "same", "same");
    useBias = useBias == null || useBias;
    kCoefLip = Check.positive("kCoefLip", kCoefLip, 1.0);
    epsSpectral = NormalizerParams.epsSpectral(epsSpectral);
    maxIterSpectral = NormalizerParams.maxIterSpectral(maxIterSpectral);
    epsBjorck = NormalizerParams.epsBjorck(epsBjorck);
    maxIterBjorck = NormalizerParams.maxIterBjorck(maxIterBjorck);
    betaBjorck = NormalizerParams.betaBjorck(betaBjorck);
    exact = exact != null && exact;
    name = Check.name(name);
  }

  public SpectralConv2DConfig(int filters, int kernel) {
    this(filters, List.of(kernel, kernel), null, null, null, null, null, null, null, null, null, null, null);
  }

  @Override
  public LipLayer create() {
    return new SpectralConv2D(this);
  }
}
