package org.jlip.layers;

import org.jlip.normalize.NormalizerParams;

/** Dense layer whose kernel is spectrally normalised then Bjorck-orthonormalised (deel-lip SpectralDense). */
public record SpectralDenseConfig(
    Integer units,
    Boolean useBias,
    Double kCoefLip,
    Double epsSpectral,
    Integer maxIterSpectral,
    Double epsBjorck,
    Integer maxIterBjorck,
    Double betaBjorck,
    String name)
    implements LayerConfig {

  public SpectralDenseConfig {
    units = Check.positive("units", units, 0);
    useBias = useBias == null || useBias;
    kCoefLip = Check.positive("kCoefLip", kCoefLip, 1.0);
    epsSpectral = NormalizerParams.epsSpectral(epsSpectral);
    maxIterSpectral = NormalizerParams.maxIterSpectral(maxIterSpectral);
    epsBjorck = NormalizerParams.epsBjorck(epsBjorck);
    maxIterBjorck = NormalizerParams.maxIterBjorck(maxIterBjorck);
    betaBjorck = NormalizerParams.betaBjorck(betaBjorck);
    name = Check.name(name);
  }

  public SpectralDenseConfig(int units) {
    this(units, null, null, null, null, null, null, null, null);
  }

  @Override
  public LipLayer create() {
    return new SpectralDense(this);
  }
}
