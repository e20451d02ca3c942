package org.jlip.normalize;

/**
 * The parameters of spectral normalisation followed by Bjorck orthonormalisation, validated by
 * {@link NormalizerParams} (a null component takes deel-lip's default).
 */
public record SpectralParams(
    Double epsSpectral, Integer maxIterSpectral, Double epsBjorck, Integer maxIterBjorck, Double betaBjorck) {

  public SpectralParams {
    epsSpectral = NormalizerParams.epsSpectral(epsSpectral);
    maxIterSpectral = NormalizerParams.maxIterSpectral(maxIterSpectral);
    epsBjorck = NormalizerParams.epsBjorck(epsBjorck);
    maxIterBjorck = NormalizerParams.maxIterBjorck(maxIterBjorck);
    betaBjorck = NormalizerParams.betaBjorck(betaBjorck);
  }

  /** deel-lip's defaults: 1e-3, 10, 1e-3, 15, 0.5. */
  public static SpectralParams defaults() {
    return new SpectralParams(null, null, null, null, null);
  }
}
