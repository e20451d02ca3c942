package org.jlip.data;

/**
 * One batch from {@link Dataset#batches}: images row-major NHWC with shape (size, height, width, channels)
 * and integer labels in [0, numClasses).
 */
public record Batch(float[] images, int[] labels, int height, int width, int channels, int numClasses) {

  /** Number of examples in this batch (the last batch may be smaller than the requested size). */
  public int size() {
    return labels.length;
  }

  /** (size, height, width, channels). */
  public long[] shape() {
    return new long[] {size(), height, width, channels};
  }

  /** Labels one-hot encoded, row-major (size, numClasses). */
  public float[] oneHot() {
    float[] out = new float[size() * numClasses];
    for (int i = 0; i < size(); i++) {
      out[i * numClasses + labels[i]] = 1f;
    }
    return out;
  }

  /**
   * Labels as a {0, 1} float column of shape (size, 1), for binary classifiers trained on a
   * {@link Dataset#binary} subset (label 1 = positive class).
   *
   * @throws IllegalStateException if numClasses is not 2
   */
  public float[] binaryLabels() {
    if (numClasses != 2) {
      throw new IllegalStateException("binaryLabels needs numClasses = 2, got " + numClasses);
    }
    float[] out = new float[size()];
    for (int i = 0; i < size(); i++) {
      out[i] = labels[i];
    }
    return out;
  }
}
