package org.jlip.imports;

import java.util.Locale;

/**
 * Paddings that copy border values instead of adding constants (TensorFlow's MirrorPad, ONNX's Pad modes reflect,
 * edge and wrap, PyTorch's padding_mode reflect, replicate and circular), as the input index each output index reads
 * along one axis: the padded axis is a gather of the input, so its Lipschitz bound is sqrt of the most times one
 * input value is read ({@link Step.Gather}).
 */
final class CopyPadding {
  private CopyPadding() {}

  /**
   * For output index o of n + before + after, with i = o - before: i itself inside [0, n); outside, reflect
   * mirrors about the border value (-i, 2 (n - 1) - i), symmetric about the border itself (-i - 1, 2 n - 1 - i),
   * edge repeats the border value and wrap reads the other side (i mod n).
   *
   * @throws UnsupportedModelException for another mode, or pads larger than the mode allows (reflect: n - 1,
   *     symmetric and wrap: n)
   */
  static int[] sources(int n, int before, int after, String mode, String where) throws UnsupportedModelException {
    String m = mode.toLowerCase(Locale.ROOT);
    int limit = switch (m) {
      case "reflect" -> n - 1;
      case "symmetric", "wrap" -> n;
      case "edge" -> Integer.MAX_VALUE;
      default -> throw new UnsupportedModelException(where + ": padding mode " + mode + " (jlip reads constant,"
          + " reflect, symmetric, edge and wrap)");
    };
    if (n < 1 || before < 0 || after < 0 || before > limit || after > limit || (long) n + before + after > 1 << 20) {
      throw new UnsupportedModelException(where + ": " + mode + " padding of " + before + " and " + after + " on an"
          + " axis of " + n + " (at most " + (limit == Integer.MAX_VALUE ? "2^20 values in all" : limit + " each")
          + ")");
    }
    int[] src = new int[n + before + after];
    for (int o = 0; o < src.length; o++) {
      int i = o - before;
      src[o] = i >= 0 && i < n ? i : switch (m) {
        case "reflect" -> i < 0 ? -i : 2 * (n - 1) - i;
        case "symmetric" -> i < 0 ? -i - 1 : 2 * n - 1 - i;
        case "edge" -> i < 0 ? 0 : n - 1;
        default -> Math.floorMod(i, n);
      };
    }
    return src;
  }
}
