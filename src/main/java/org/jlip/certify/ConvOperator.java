package org.jlip.certify;

/**
 * A 2-D convolution as TensorFlow computes it (cross-correlation, NHWC, "SAME" or "VALID" padding, strides) on
 * one h x w x cin image, and its exact transpose, in double precision.
 */
final class ConvOperator {
  private final float[] kernel;
  private final int kh;
  private final int kw;
  private final int cin;
  private final int cout;
  private final int h;
  private final int w;
  private final int sh;
  private final int sw;
  private final int oh;
  private final int ow;
  private final int padTop;
  private final int padLeft;

  ConvOperator(float[] kernel, int kh, int kw, int cin, int cout, int h, int w, int sh, int sw, String padding) {
    this.kernel = kernel;
    this.kh = kh;
    this.kw = kw;
    this.cin = cin;
    this.cout = cout;
    this.h = h;
    this.w = w;
    this.sh = sh;
    this.sw = sw;
    this.oh = outputSize(h, kh, sh, padding);
    this.ow = outputSize(w, kw, sw, padding);
    this.padTop = padding(h, kh, sh, padding)[0];
    this.padLeft = padding(w, kw, sw, padding)[0];
  }

  /** TensorFlow's output size along one axis of n values, kernel k, stride s. */
  static int outputSize(int n, int k, int s, String padding) {
    if ("same".equalsIgnoreCase(padding)) {
      return (n + s - 1) / s;
    }
    if ("valid".equalsIgnoreCase(padding)) {
      return (n - k) / s + 1;
    }
    throw new IllegalArgumentException("padding must be same or valid, got " + padding);
  }

  /** TensorFlow's zero padding {before, after} along one axis ("same" puts the odd one after). */
  static int[] padding(int n, int k, int s, String padding) {
    if ("valid".equalsIgnoreCase(padding)) {
      outputSize(n, k, s, padding);
      return new int[] {0, 0};
    }
    int total = Math.max((outputSize(n, k, s, padding) - 1) * s + k - n, 0);
    return new int[] {total / 2, total - total / 2};
  }

  double[] apply(double[] x) {
    double[] y = new double[oh * ow * cout];
    for (int r = 0; r < oh; r++) {
      for (int c = 0; c < ow; c++) {
        int yb = (r * ow + c) * cout;
        for (int i = 0; i < kh; i++) {
          int xr = r * sh - padTop + i;
          if (xr < 0 || xr >= h) {
            continue;
          }
          for (int j = 0; j < kw; j++) {
            int xc = c * sw - padLeft + j;
            if (xc < 0 || xc >= w) {
              continue;
            }
            int xb = (xr * w + xc) * cin;
            int kb = (i * kw + j) * cin * cout;
            for (int a = 0; a < cin; a++) {
              double xv = x[xb + a];
              int ka = kb + a * cout;
              for (int b = 0; b < cout; b++) {
                y[yb + b] += xv * kernel[ka + b];
              }
            }
          }
        }
      }
    }
    return y;
  }

  double[] applyTranspose(double[] y) {
    double[] x = new double[h * w * cin];
    for (int r = 0; r < oh; r++) {
      for (int c = 0; c < ow; c++) {
        int yb = (r * ow + c) * cout;
        for (int i = 0; i < kh; i++) {
          int xr = r * sh - padTop + i;
          if (xr < 0 || xr >= h) {
            continue;
          }
          for (int j = 0; j < kw; j++) {
            int xc = c * sw - padLeft + j;
            if (xc < 0 || xc >= w) {
              continue;
            }
            int xb = (xr * w + xc) * cin;
            int kb = (i * kw + j) * cin * cout;
            for (int a = 0; a < cin; a++) {
              int ka = kb + a * cout;
              double s = 0;
              for (int b = 0; b < cout; b++) {
                s += y[yb + b] * kernel[ka + b];
              }
              x[xb + a] += s;
            }
          }
        }
      }
    }
    return x;
  }
}
