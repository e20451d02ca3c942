package org.jlip.data;

import java.util.Arrays;

/**
 * A numeric array read from a .npy file, converted to float, in C (row-major) order. dtype is the numpy
 * descriptor it was stored with ("&lt;f4", "&lt;f8" or "|u1"); uint8 values are kept as 0..255.
 */
public record NpyArray(int[] shape, float[] data, String dtype) {

  public NpyArray {
    long count = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("shape must be non-negative, got " + Arrays.toString(shape));
      }
      count *= d;
    }
    if (count != data.length) {
      throw new IllegalArgumentException(
          "data.length must be the product of shape " + Arrays.toString(shape) + " = " + count + ", got "
              + data.length);
    }
    shape = shape.clone();
  }

  /**
   * This array as images: shape (n, h, w) gets one channel, (n, h, w, c) is taken as NHWC, and (n, d), flat
   * samples for a model with a vector input or flattened images in row-major order, becomes (n, 1, d, 1). uint8
   * data is scaled to [0, 1] by /255; float data is kept as stored.
   *
   * @throws IllegalStateException for any other rank
   */
  public Images toImages() {
    float[] pixels = data;
    if (dtype.endsWith("u1")) {
      pixels = new float[data.length];
      for (int i = 0; i < data.length; i++) {
        pixels[i] = data[i] / 255f;
      }
    }
    if (shape.length == 2) {
      return new Images(pixels, shape[0], 1, shape[1], 1);
    }
    if (shape.length == 3) {
      return new Images(pixels, shape[0], shape[1], shape[2], 1);
    }
    if (shape.length == 4) {
      return new Images(pixels, shape[0], shape[1], shape[2], shape[3]);
    }
    throw new IllegalStateException(
        "images need shape (n, d), (n, h, w) or (n, h, w, c), got " + Arrays.toString(shape));
  }
}
