package org.jlip.layers;

import java.util.Arrays;

/** Axis arithmetic shared by the layers that take a Keras-style {@code axis} (batch = 0, negative from the end). */
final class Axes {
  private Axes() {}

  /**
   * The axis as an index into the full shape (batch included), so in [1, rank].
   *
   * @param inputShape shape without the batch axis (rank = its length)
   * @throws IllegalArgumentException naming the layer, the axis and the shape when it is out of range or the batch
   */
  static int resolve(String layer, int axis, long[] inputShape) {
    int rank = inputShape.length;
    int a = axis < 0 ? axis + rank + 1 : axis;
    if (a < 1 || a > rank) {
      throw new IllegalArgumentException(layer + ": axis must be in [1, " + rank + "] or [-" + rank
          + ", -1] (batch = 0) for input shape " + Arrays.toString(inputShape) + ", got " + axis);
    }
    return a;
  }

  /** The input shape with the batch dimension -1 in front. */
  static long[] withBatch(long[] shape) {
    long[] out = new long[shape.length + 1];
    out[0] = -1;
    System.arraycopy(shape, 0, out, 1, shape.length);
    return out;
  }
}
