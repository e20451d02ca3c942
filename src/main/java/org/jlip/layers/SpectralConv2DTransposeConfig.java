package org.jlip.layers;

import java.util.List;
import org.jlip.normalize.NormalizerParams;

/**
 * deel-lip's SpectralConv2DTranspose: a transposed convolution (padding "same") whose kernel, seen as
 * [kh * kw * channels, filters], is spectrally normalised, Bjorck-orthonormalised and scaled by the conv correction
 * coefficient of the layer's input size. {@code exact} adds a division by the layer's operator norm on its input
 * size, estimated by a persistent power iteration on the convolution it is the adjoint of.
 */
public record SpectralConv2DTransposeConfig(
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

  public SpectralConv2DTransposeConfig {
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

  public SpectralConv2DTransposeConfig(int filters, int kernel, int stride) {
    this(filters, List.of(kernel, kernel), List.of(stride, stride), null, null, null, null, null, null, null, null,
        null, null);
  }

  @Override
  public LipLayer create() {
    return new SpectralConv2DTranspose(this);
  }
}
