package org.jlip.layers;

import java.util.Arrays;
import java.util.List;

/** Shape checks of the non-overlapping-window layers (pooling, space-to-depth) on [H, W, C] inputs. */
final class Windows {
  private Windows() {}

  /**
   * Checks that H and W are divisible by the pool size; returns [H/ph, W/pw].
   *
   * @throws IllegalArgumentException naming the layer, the pool size and the offending dimension
   */
  static long[] pooledSize(String layer, long[] inputShape, List<Integer> poolSize) {
    long[] out = new long[2];
    String[] dims = {"height", "width"};
    for (int i = 0; i < 2; i++) {
      long size = inputShape[i];
      int p = poolSize.get(i);
      if (size % p != 0) {
        throw new IllegalArgumentException(layer + ": input " + dims[i] + " " + size + " is not divisible by poolSize["
            + i + "] = " + p + " (poolSize " + poolSize + ", input shape " + Arrays.toString(inputShape) + ")");
      }
      out[i] = size / p;
    }
    return out;
  }

  /** Output [H/ph, W/pw, C] of a pooling over non-overlapping windows (checked as {@link #pooledSize}). */
  static long[] pooledShape(String layer, long[] inputShape, List<Integer> poolSize) {
    long[] hw = pooledSize(layer, inputShape, poolSize);
    return new long[] {hw[0], hw[1], inputShape[2]};
  }

  /** [1, ph, pw, 1]: both the window and the stride of a non-overlapping NHWC pooling. */
  static List<Long> window4(List<Integer> poolSize) {
    return List.of(1L, (long) poolSize.get(0), (long) poolSize.get(1), 1L);
  }

  /**
   * sqrt(ph*pw) times the layer coefficient: turns a window mean (of x, or of x^2 under a square root) into
   * sum/sqrt(ph*pw), the 1-Lipschitz scaling.
   */
  static double scale(List<Integer> poolSize, double coefficient) {
    return Math.sqrt((double) poolSize.get(0) * poolSize.get(1)) * coefficient;
  }
}
