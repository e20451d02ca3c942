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
}
