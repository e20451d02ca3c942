package org.jlip.normalize;

/** deel-lip's correction coefficient of a convolution whose reshaped kernel is 1-Lipschitz (a number). */
public final class ConvCoefficient {
  private ConvCoefficient() {}

  /**
   * Stride 1 (padding same), input h x w:
   * sqrt(h*w / ((kh*h - a(a+1)) * (kw*w - b(b+1)))) with a = (kh-1)/2, b = (kw-1)/2 in floating point
   * (3x3 on 28x28: 28/82); the number of times each input pixel is seen, averaged, accounting for the zero
   * border. Stride s > 1 (either axis): sqrt(1 / (ceil(kh/sh) * ceil(kw/sw))).
   */
  public static double of(int kh, int kw, int sh, int sw, long h, long w) {
    if (kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 || h <= 0 || w <= 0) {
      throw new IllegalArgumentException("conv coefficient needs positive sizes, got kernel " + kh + "x" + kw
          + ", strides " + sh + "x" + sw + ", input " + h + "x" + w);
    }
    if (sh > 1 || sw > 1) {
      return Math.sqrt(1.0 / (ceilDiv(kh, sh) * ceilDiv(kw, sw)));
    }
    double a = (kh - 1) / 2.0;
    double b = (kw - 1) / 2.0;
    return Math.sqrt((double) h * w / ((kh * h - a * (a + 1)) * (kw * w - b * (b + 1))));
  }

  private static double ceilDiv(int k, int s) {
    return Math.ceil((double) k / s);
  }
}
