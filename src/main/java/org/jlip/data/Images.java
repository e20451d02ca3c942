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

  /**
   * These images with {@code wanted} channels where a model takes another count than they hold: RGB to gray by
   * the ITU-R BT.601 luma weights 0.299 R + 0.587 G + 0.114 B, gray to RGB by repeating the value; any other pair
   * is left as it is (the caller's shape check then names both shapes).
   */
  public Images withChannels(int wanted) {
    if (wanted == channels || !((channels == 3 && wanted == 1) || (channels == 1 && wanted == 3))) {
      return this;
    }
    int pixelsPerImage = count * height * width;
    float[] out = new float[pixelsPerImage * wanted];
    for (int p = 0; p < pixelsPerImage; p++) {
      if (wanted == 1) {
        out[p] = 0.299f * pixels[3 * p] + 0.587f * pixels[3 * p + 1] + 0.114f * pixels[3 * p + 2];
      } else {
        out[3 * p] = pixels[p];
        out[3 * p + 1] = pixels[p];
        out[3 * p + 2] = pixels[p];
      }
    }
    return new Images(out, count, height, width, wanted);
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
