package org.jlip.data;

import java.util.List;

/**
 * A block of images without labels, row-major NHWC: pixel (i, y, x, ch) is
 * {@code pixels[((i * height + y) * width + x) * channels + ch]}. Produced by the IDX, .npy and PNG readers;
 * {@link #withLabels} turns it into a {@link Dataset}.
 */
public record Images(float[] pixels, int count, int height, int width, int channels) {

  public Images {
    if (pixels == null) {
      throw new IllegalArgumentException("pixels must not be null");
    }
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    if (height <= 0 || width <= 0 || channels <= 0) {
      throw new IllegalArgumentException(
          "height, width, channels must be > 0, got " + height + "x" + width + "x" + channels);
    }
    long expected = (long) count * height * width * channels;
    if (pixels.length != expected) {
      throw new IllegalArgumentException("pixels.length must be count*height*width*channels = " + expected
          + ", got " + pixels.length);
    }
  }

  /** Floats per image: height * width * channels. */
  public int imageSize() {
    return height * width * channels;
  }

  /** (count, height, width, channels), ready for {@code Shape.of(...)}. */
  public long[] shape() {
    return new long[] {count, height, width, channels};
  }

  /** Pairs these images with labels in [0, numClasses); classNames may be null. */
  public Dataset withLabels(int[] labels, int numClasses, List<String> classNames) {
    return new Dataset(pixels, labels, height, width, channels, numClasses, classNames);
  }

  /** Maps uint8 values to [0, 1] by dividing by 255. */
  public static float[] scaleUint8(byte[] raw) {
    float[] table = new float[256];
    for (int v = 0; v < 256; v++) {
      table[v] = v / 255f;
    }
    float[] out = new float[raw.length];
    for (int i = 0; i < raw.length; i++) {
      out[i] = table[raw[i] & 0xff];
    }
    return out;
  }
}
