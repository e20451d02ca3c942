package org.jlip.imports;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Keras's DepthwiseConv2D and SeparableConv2D as one ordinary convolution kernel, so that they are built, bounded
 * (by the DFT bound of the whole operator) and converted like a Conv2D. Depthwise: input channel c feeds outputs
 * c * m + j through its own filter d[:, :, c, j] (m the depth multiplier): the kernel [kh, kw, C, C m] is
 * block-diagonal. Separable: the 1x1 pointwise kernel p [C m, F] after it folds in exactly, giving [kh, kw, C, F]
 * with K[.., c, f] = sum_j d[.., c, j] p[c m + j, f]. A dilated kernel becomes an ordinary one with zeros between its
 * taps ({@link #dilated}).
 */
final class DepthwiseKernels {

  private DepthwiseKernels() {}

  /**
   * A kernel [kh, kw, cin, cout] dilated by (dh, dw) as the ordinary kernel [(kh - 1) dh + 1, (kw - 1) dw + 1, cin,
   * cout] with zeros between its taps: at stride 1 both convolutions, valid or same (TensorFlow pads for the
   * dilated extent), give the same output, so the zeros leave the operator and its DFT bound unchanged.
   */
  static Weight dilated(Weight w, int dh, int dw) {
    long[] s = w.shape();
    int kh = (int) s[0];
    int kw = (int) s[1];
    int inner = (int) (s[2] * s[3]);
    int eh = (kh - 1) * dh + 1;
    int ew = (kw - 1) * dw + 1;
    float[] out = new float[eh * ew * inner];
    for (int y = 0; y < kh; y++) {
      for (int x = 0; x < kw; x++) {
        System.arraycopy(w.values(), (y * kw + x) * inner, out, (y * dh * ew + x * dw) * inner, inner);
      }
    }
    return new Weight(out, new long[] {eh, ew, s[2], s[3]});
  }

  /** A depthwise kernel d [kh, kw, C, m] as the block-diagonal conv kernel [kh, kw, C, C m]. */
  static float[] blockDiagonal(float[] d, int kh, int kw, int channels, int m) {
    float[] k = new float[kh * kw * channels * channels * m];
    for (int tap = 0; tap < kh * kw; tap++) {
      for (int ch = 0; ch < channels; ch++) {
        for (int j = 0; j < m; j++) {
          k[(tap * channels + ch) * channels * m + ch * m + j] = d[(tap * channels + ch) * m + j];
        }
      }
    }
    return k;
  }

  /**
   * A grouped convolution's kernel g [kh, kw, C/groups, out] as the block-diagonal kernel [kh, kw, C, out]: output
   * channel o, in group q = o / (out/groups), reads input channels q C/groups to (q + 1) C/groups - 1.
   */
  static float[] grouped(float[] g, int kh, int kw, int cinPerGroup, int cout, int groups) {
    int cin = cinPerGroup * groups;
    int perGroup = cout / groups;
    float[] k = new float[kh * kw * cin * cout];
    for (int tap = 0; tap < kh * kw; tap++) {
      for (int i = 0; i < cinPerGroup; i++) {
        for (int o = 0; o < cout; o++) {
          k[(tap * cin + (o / perGroup) * cinPerGroup + i) * cout + o] = g[(tap * cinPerGroup + i) * cout + o];
        }
      }
    }
    return k;
  }

  /** The layer's kernel(s) as one [kh, kw, C, out] kernel; {@code pointwise} null for DepthwiseConv2D. */
  static Weight asConv(Path file, String type, String name, JsonNode c, long[] input, Weight depthwise,
      Weight pointwise) throws MalformedModelException, UnsupportedModelException {
    long[] d = depthwise.shape();
    long[] ks = KerasFileImporter.ints(c.path("kernel_size"), 0);
    int m = c.path("depth_multiplier").asInt(1);
    if (input.length != 3 || d.length != 4 || d[0] != ks[0] || d[1] != ks[1] || d[2] != input[2] || d[3] != m) {
      throw new MalformedModelException(file + ": layer '" + name + "' (" + type + ") has a depthwise kernel of shape "
          + Arrays.toString(d) + " on input " + Arrays.toString(input) + " (NHWC); expected [" + ks[0] + ", " + ks[1]
          + ", C, " + m + "] (kernel_size, input channels, depth_multiplier)");
    }
    int kh = (int) d[0];
    int kw = (int) d[1];
    int channels = (int) d[2];
    float[] dv = depthwise.values();
    if (pointwise == null) {
      return new Weight(blockDiagonal(dv, kh, kw, channels, m), new long[] {kh, kw, channels, (long) channels * m});
    }
    long[] p = pointwise.shape();
    if (p.length != 4 || p[0] != 1 || p[1] != 1 || p[2] != (long) channels * m) {
      throw new MalformedModelException(file + ": layer '" + name + "' (" + type + ") has a pointwise kernel of shape "
          + Arrays.toString(p) + "; expected [1, 1, " + (long) channels * m + ", filters]");
    }
    int filters = (int) p[3];
    float[] pv = pointwise.values();
    float[] k = new float[kh * kw * channels * filters];
    for (int tap = 0; tap < kh * kw; tap++) {
      for (int ch = 0; ch < channels; ch++) {
        for (int f = 0; f < filters; f++) {
          double sum = 0;
          for (int j = 0; j < m; j++) {
            sum += (double) dv[(tap * channels + ch) * m + j] * pv[(ch * m + j) * filters + f];
          }
          k[(tap * channels + ch) * filters + f] = (float) sum;
        }
      }
    }
    return new Weight(k, new long[] {kh, kw, channels, filters});
  }
}
