package org.jlip.layers;

import java.util.List;
import org.jlip.certify.ConvPadding;
import org.jlip.certify.OperatorNorms;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The maths of a transposed convolution (Keras's Conv2DTranspose, TensorFlow's Conv2DBackpropInput): the adjoint of
 * {@code conv2d(y, K, strides, padding)} taking y of the transposed convolution's output size back to its input.
 * Kernel K is [kh, kw, filters, channels] (Keras's layout): the forward convolution maps filters to channels.
 */
public final class TransposedConvolution {
  private TransposedConvolution() {}

  /**
   * Keras's output size along one axis without {@code output_padding}: n s for "same", n s + max(k - s, 0) for
   * "valid".
   */
  public static long outputSize(long n, int k, int s, String padding) {
    return "same".equalsIgnoreCase(padding) ? n * s : n * s + Math.max(k - s, 0);
  }

  /**
   * The zeros {before, after} that make the transposed convolution a stride-1 "valid" cross-correlation with the
   * flipped kernel of the input spread s apart (n values, s - 1 zeros between them): before = k - 1 - t, where t is
   * the padding the forward convolution puts before its input of {@code out} values, and after fills the length
   * to out + k - 1.
   */
  static long[] spreadPadding(long n, long out, int k, int s, String padding) {
    long before = k - 1 - ConvPadding.padding(Math.toIntExact(out), k, s, padding)[0];
    return new long[] {before, out + k - 1 - before - ((n - 1) * s + 1)};
  }

  /**
   * y = conv2d_transpose(x, K) as operations that all have gradients, in x and in K (TensorFlow's
   * Conv2DBackpropInput has none): the input spread by the strides (reshape, pad, reshape), zero-padded by
   * {@link #spreadPadding}, then correlated with K flipped in space and with its two channel axes swapped. x is
   * [batch, h, w, channels]; the output is [batch, outH, outW, filters].
   */
  public static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> k, int kh, int kw,
      int channels, int sh, int sw, String padding, long h, long w, long outH, long outW) {
    Operand<TFloat32> spread = x;
    if (sh > 1 || sw > 1) {
      Operand<TFloat32> cells = tf.reshape(x, tf.constant(new long[] {-1, h, 1, w, 1, channels}));
      Operand<TFloat32> padded = tf.pad(cells, tf.constant(new int[][] {{0, 0}, {0, 0}, {0, sh - 1}, {0, 0},
          {0, sw - 1}, {0, 0}}), tf.constant(0f));
      spread = tf.reshape(padded, tf.constant(new long[] {-1, h * sh, w * sw, channels}));
    }
    long[] ph = spreadPadding(h, outH, kh, sh, padding);
    long[] pw = spreadPadding(w, outW, kw, sw, padding);
    // The spread input ends with s - 1 zeros already; the slice drops those beyond the window's reach.
    int[][] pads = {{0, 0}, {Math.toIntExact(ph[0]), Math.toIntExact(Math.max(ph[1] - (sh - 1), 0))},
        {Math.toIntExact(pw[0]), Math.toIntExact(Math.max(pw[1] - (sw - 1), 0))}, {0, 0}};
    // int32 bounds: the gradient of Slice subtracts them from the int32 shape of its input.
    Operand<TFloat32> framed = tf.slice(tf.pad(spread, tf.constant(pads), tf.constant(0f)),
        tf.constant(new int[] {0, 0, 0, 0}), tf.constant(new int[] {-1, Math.toIntExact(outH + kh - 1),
            Math.toIntExact(outW + kw - 1), channels}));
    Operand<TFloat32> flipped = tf.reverse(tf.linalg.transpose(k, tf.constant(new int[] {0, 1, 3, 2})),
        tf.constant(new int[] {0, 1}));
    return tf.nn.conv2d(framed, flipped, List.of(1L, 1L, 1L, 1L), "VALID");
  }

  /** K [kh, kw, filters, channels] with its channel axes swapped: [kh, kw, channels, filters]. */
  public static float[] channelsSwapped(float[] k, int kh, int kw, int filters, int channels) {
    float[] f = new float[k.length];
    for (int p = 0; p < kh * kw; p++) {
      for (int c = 0; c < channels; c++) {
        for (int o = 0; o < filters; o++) {
          f[(p * channels + c) * filters + o] = k[(p * filters + o) * channels + c];
        }
      }
    }
    return f;
  }

  /**
   * Bound of the transposed convolution from [h, w, channels] to [outH, outW, filters]: that of the convolution it
   * is the adjoint of (an operator and its adjoint share their norm), the DFT bound of K as a convolution from
   * filters to channels on the output grid, with a Lanczos lower estimate.
   */
  public static LayerBound bound(double nominal, float[] k, int kh, int kw, int filters, int channels, int sh,
      int sw, String padding, long outH, long outW) {
    int h = Math.toIntExact(outH);
    int w = Math.toIntExact(outW);
    double upper = OperatorNorms.convDftBound(k, kh, kw, filters, channels, h, w, sh, sw, padding);
    double lower = OperatorNorms.convNormEstimate(k, kh, kw, filters, channels, h, w, sh, sw, padding, 0);
    return new LayerBound(nominal, upper, Math.min(lower, upper), "dft", false);
  }
}
