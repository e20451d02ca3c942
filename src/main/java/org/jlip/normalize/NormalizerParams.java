package org.jlip.normalize;

/**
 * deel-lip's defaults for the normalisers and the one validator of their parameters. A null argument takes the
 * default; an invalid value throws an IllegalArgumentException naming the parameter and the value.
 */
public final class NormalizerParams {
  public static final double EPS_SPECTRAL_DEFAULT = 1e-3;
  public static final int MAX_ITER_SPECTRAL_DEFAULT = 10;
  public static final double EPS_BJORCK_DEFAULT = 1e-3;
  public static final int MAX_ITER_BJORCK_DEFAULT = 15;
  public static final double BETA_BJORCK_DEFAULT = 0.5;

  private NormalizerParams() {}

  public static double epsSpectral(Double v) {
    return positiveFinite("epsSpectral", v == null ? EPS_SPECTRAL_DEFAULT : v);
  }

  public static int maxIterSpectral(Integer v) {
    return atLeast("maxIterSpectral", v == null ? MAX_ITER_SPECTRAL_DEFAULT : v, 1);
  }

  public static double epsBjorck(Double v) {
    return positiveFinite("epsBjorck", v == null ? EPS_BJORCK_DEFAULT : v);
  }

  /** 0 disables Bjorck (spectral normalisation alone). */
  public static int maxIterBjorck(Integer v) {
    return atLeast("maxIterBjorck", v == null ? MAX_ITER_BJORCK_DEFAULT : v, 0);
  }

  public static double betaBjorck(Double v) {
    double b = v == null ? BETA_BJORCK_DEFAULT : v;
    if (!(b > 0 && b <= 0.5)) {
      throw new IllegalArgumentException("betaBjorck must be in (0, 0.5], got " + b);
    }
    return b;
  }

  private static double positiveFinite(String name, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be a finite number > 0, got " + v);
    }
    return v;
  }

  private static int atLeast(String name, int v, int min) {
    if (v < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", got " + v);
    }
    return v;
  }
}
