package org.jlip.certify;

/** TensorFlow's padding rules for a 2-D convolution ("SAME" or "VALID", strides), one axis at a time. */
public final class ConvPadding {
  private ConvPadding() {}

  /** TensorFlow's output size along one axis of n values, kernel k, stride s. */
  public static int outputSize(int n, int k, int s, String padding) {
    if ("same".equalsIgnoreCase(padding)) {
      return (n + s - 1) / s;
    }
    if ("valid".equalsIgnoreCase(padding)) {
      return (n - k) / s + 1;
    }
    throw new IllegalArgumentException("padding must be same or valid, got " + padding);
  }

  /** TensorFlow's zero padding {before, after} along one axis ("same" puts the odd one after). */
  public static int[] padding(int n, int k, int s, String padding) {
    if ("valid".equalsIgnoreCase(padding)) {
      outputSize(n, k, s, padding);
      return new int[] {0, 0};
    }
    int total = Math.max((outputSize(n, k, s, padding) - 1) * s + k - n, 0);
    return new int[] {total / 2, total - total / 2};
  }
}
