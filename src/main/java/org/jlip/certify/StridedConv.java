package org.jlip.certify;

/**
 * A strided convolution rewritten as a stride-1 one on the input's polyphase components, whose DFT bound is much
 * tighter than the strided convolution's own (which bounds the unstrided operator it subsamples).
 *
 * <p>Along one axis, with stride s and zero padding pb before the image, output i reads x[s i + a - pb] through
 * tap a. Writing a - pb = s q_a + r_a (0 <= r_a < s) gives x[s (i + q_a) + r_a] = x_{r_a}[i + q_a]: the r-th
 * polyphase component x_r[m] = x[s m + r] (zero outside the image), read at offset q_a. So the convolution is a
 * stride-1 correlation of the s_h s_w components, stacked as channels (channel r * cin + c, r = r_h s_w + r_w),
 * by a kernel of extent q_max - q_min + 1 whose tap (q_h - q_min, q_w - q_min) holds the original tap. Splitting
 * an image into its components is an isometry, and the kept outputs are some of the full correlation's, so that
 * correlation's DFT bound on ceil(n / s) inputs bounds the strided convolution from above.
 */
final class StridedConv {
  final float[] kernel;
  final int kh;
  final int kw;
  final int cin;
  final int cout;
  final int h;
  final int w;

  private StridedConv(float[] kernel, int kh, int kw, int cin, int cout, int h, int w) {
    this.kernel = kernel;
    this.kh = kh;
    this.kw = kw;
    this.cin = cin;
    this.cout = cout;
    this.h = h;
    this.w = w;
  }

  /** The polyphase form of a [kh, kw, cin, cout] kernel on h x w inputs with strides (sh, sw) and TF padding. */
  static StridedConv polyphase(float[] k, int kh, int kw, int cin, int cout, int h, int w, int sh, int sw,
      String padding) {
    int beforeH = ConvPadding.padding(h, kh, sh, padding)[0];
    int beforeW = ConvPadding.padding(w, kw, sw, padding)[0];
    // q_a = floor((a - before) / s) grows with a: tap 0 has the smallest offset, tap k - 1 the largest.
    int minH = Math.floorDiv(-beforeH, sh);
    int minW = Math.floorDiv(-beforeW, sw);
    int kh2 = Math.floorDiv(kh - 1 - beforeH, sh) - minH + 1;
    int kw2 = Math.floorDiv(kw - 1 - beforeW, sw) - minW + 1;
    int cin2 = cin * sh * sw;
    float[] out = new float[kh2 * kw2 * cin2 * cout];
    for (int i = 0; i < kh; i++) {
      int ri = Math.floorMod(i - beforeH, sh);
      int ti = Math.floorDiv(i - beforeH, sh) - minH;
      for (int j = 0; j < kw; j++) {
        int rj = Math.floorMod(j - beforeW, sw);
        int tap = ti * kw2 + Math.floorDiv(j - beforeW, sw) - minW;
        int block = (ri * sw + rj) * cin;
        for (int c = 0; c < cin; c++) {
          System.arraycopy(k, ((i * kw + j) * cin + c) * cout, out, (tap * cin2 + block + c) * cout, cout);
        }
      }
    }
    return new StridedConv(out, kh2, kw2, cin2, cout, ceilDiv(h, sh), ceilDiv(w, sw));
  }

  private static int ceilDiv(int n, int s) {
    return (n + s - 1) / s;
  }
}
