package org.jlip.export;

import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Runs a float output over many samples in batches, closing every tensor. */
public final class Inference {
  static final int BATCH = 1024;

  private Inference() {}

  /**
   * Feeds {@code n} samples of {@code images} (row-major, each of {@code inputShape}) to {@code input} in batches
   * of {@link #BATCH} and concatenates {@code output}'s rows.
   */
  public static float[] run(Session session, Operand<TFloat32> input, Operand<TFloat32> output, float[] images, int n,
      long[] inputShape) {
    int sample = sampleSize(inputShape, images.length, n);
    float[] out = null;
    int width = 0;
    for (int start = 0; start < n; start += BATCH) {
      int b = Math.min(BATCH, n - start);
      try (TFloat32 x = batch(images, start, b, sample, inputShape);
          Result r = session.runner().feed(input, x).fetch(output).run()) {
        TFloat32 y = (TFloat32) r.get(0);
        if (out == null) {
          width = (int) (y.shape().size() / b);
          out = new float[n * width];
        }
        y.copyTo(DataBuffers.of(out, false, false).offset((long) start * width));
      }
    }
    return out == null ? new float[0] : out;
  }

  static int sampleSize(long[] inputShape, int length, int n) {
    long sample = 1;
    for (long d : inputShape) {
      sample *= d;
    }
    if (n < 0 || (long) n * sample != length) {
      throw new IllegalArgumentException("expected " + n + " samples of " + sample + " values (shape "
          + java.util.Arrays.toString(inputShape) + "), got " + length + " values");
    }
    return (int) sample;
  }

  /** Samples [start, start + b) as a tensor [b, inputShape...]. */
  static TFloat32 batch(float[] images, int start, int b, int sample, long[] inputShape) {
    long[] dims = new long[inputShape.length + 1];
    dims[0] = b;
    System.arraycopy(inputShape, 0, dims, 1, inputShape.length);
    return TFloat32.tensorOf(Shape.of(dims),
        DataBuffers.of(images, true, false).offset((long) start * sample).narrow((long) b * sample));
  }
}
