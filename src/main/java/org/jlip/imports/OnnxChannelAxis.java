package org.jlip.imports;

import java.util.Map;
import org.jlip.imports.OnnxTranslator.Activation;

/**
 * ONNX's per-channel ops (BatchNormalization, PRelu) act on axis 1. jlip holds images NHWC, channels last, but any
 * other tensor of rank 3 or more as ONNX lays it out, channels first ([N, C, L] from a BatchNorm1d on a sequence,
 * a convolution's output reshaped to [N, C, H*W], an image after a transpose). Such a tensor is moved to channels
 * last for the op and back after it; a vector [N, C] and an image need no move.
 */
final class OnnxChannelAxis {
  private OnnxChannelAxis() {}

  /** {@code x} with its channels on the last axis. */
  static Activation toLast(OnnxTranslator t, String label, Activation x) {
    if (!needsMove(x)) {
      return x;
    }
    long[] s = x.shape();
    int r = s.length;
    long[] perm = new long[r + 1];
    long[] moved = new long[r];
    for (int i = 1; i < r; i++) {
      perm[i] = i + 1;
      moved[i - 1] = s[i];
    }
    perm[r] = 1;
    moved[r - 1] = s[0];
    return t.emit("Transpose", label + "/channels_last", moved, false, Map.of(), x.ref(), t.intArg(perm));
  }

  /** {@code y}, computed on {@link #toLast}'s output, back in the layout of {@code original}. */
  static Activation back(OnnxTranslator t, String label, Activation y, Activation original) {
    if (!needsMove(original)) {
      return y;
    }
    int r = original.shape().length;
    long[] perm = new long[r + 1];
    perm[1] = r;
    for (int i = 2; i <= r; i++) {
      perm[i] = i - 1;
    }
    return t.emit("Transpose", label + "/channels_first", original.shape(), false, Map.of(), y.ref(),
        t.intArg(perm));
  }

  private static boolean needsMove(Activation x) {
    return !x.image() && x.shape().length >= 2;
  }
}
