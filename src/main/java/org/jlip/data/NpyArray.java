package org.jlip.data;

import java.util.Arrays;

/**
 * A numeric array read from a .npy file, converted to float, in C (row-major) order. dtype is the numpy
 * descriptor it was stored with ("&lt;f4", "&lt;f8", "|u1", "&lt;u2", "&lt;i8", ...); integers keep their stored
 * values (uint8 0..255).
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
   * What {@link #toImages} divides this array by: 2^bits - 1 for unsigned integers (255 for uint8, 65535 for
   * uint16), as PNG samples are; 1 for floats and wider signed integers, taken as stored.
   *
   * @throws IllegalStateException for int8: signed 8-bit images have no standard scale to [0, 1]
   */
  public float imageScale() {
    return switch (dtype.substring(1)) {
      case "u1" -> 255f;
      case "u2" -> 65535f;
      case "i1" -> throw new IllegalStateException("images of dtype '" + dtype + "' (int8) have no standard scale"
          + " to [0, 1]: convert them to uint8 (0..255) or to float32 in [0, 1]");
      default -> 1f;
    };
  }

  /**
   * This array as images: shape (n, h, w) gets one channel, (n, h, w, c) is taken as NHWC, and (n, d), flat
   * samples for a model with a vector input or flattened images in row-major order, becomes (n, 1, d, 1). Values
   * are divided by {@link #imageScale}: uint8 and uint16 come to [0, 1].
   *
   * @throws IllegalStateException for any other rank, or int8 data
   */
  public Images toImages() {
    float scale = imageScale();
    float[] pixels = data;
    if (scale != 1) {
      pixels = new float[data.length];
      for (int i = 0; i < data.length; i++) {
        pixels[i] = data[i] / scale;
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
