package org.jlip.imports;

/**
 * TensorFlow's image resizing along one axis as a matrix R [out, in] (row-major): resizing an image is
 * R_h X R_w^T on each channel, and its operator norm is exactly ||R_h|| ||R_w|| (the norm of a Kronecker product).
 * The source coordinate of output index i follows TensorFlow's kernels, in float as they compute it, with
 * scale = in / out, or (in - 1) / (out - 1) with align_corners:
 * <ul>
 *   <li>bilinear: s = (i + 0.5) scale - 0.5 with half_pixel_centers, else i scale; weight 1 - (s - floor(s)) on
 *       max(floor(s), 0) and s - floor(s) on min(ceil(s), in - 1);
 *   <li>nearest: s = (i + 0.5) scale with half_pixel_centers, else i scale; index min(floor(s), in - 1) (rounded
 *       with align_corners), at least 0.
 * </ul>
 * Keras's Resizing and UpSampling2D (TF2's {@code tf.image.resize}) use half_pixel_centers without align_corners.
 */
final class Interpolation {
  private Interpolation() {}

  /** Linear interpolation weights, [out, in]. */
  static float[] bilinear(int in, int out, boolean alignCorners, boolean halfPixel) {
    float scale = scale(in, out, alignCorners);
    float[] r = new float[out * in];
    for (int i = 0; i < out; i++) {
      float s = halfPixel ? (i + 0.5f) * scale - 0.5f : i * scale;
      float f = (float) Math.floor(s);
      int lower = Math.max((int) f, 0);
      int upper = Math.min((int) Math.ceil(s), in - 1);
      float lerp = s - f;
      r[i * in + lower] += 1 - lerp;
      r[i * in + upper] += lerp;
    }
    return r;
  }

  /** Nearest-neighbour selection, [out, in]: one 1 per row. */
  static float[] nearest(int in, int out, boolean alignCorners, boolean halfPixel) {
    float scale = scale(in, out, alignCorners);
    float[] r = new float[out * in];
    for (int i = 0; i < out; i++) {
      float s = halfPixel ? (i + 0.5f) * scale : i * scale;
      int j = Math.min(alignCorners ? Math.round(s) : (int) Math.floor(s), in - 1);
      r[i * in + Math.max(j, 0)] = 1;
    }
    return r;
  }

  private static float scale(int in, int out, boolean alignCorners) {
    if (in < 1 || out < 1) {
      throw new IllegalArgumentException("cannot resize " + in + " values to " + out);
    }
    return alignCorners && out > 1 ? (in - 1) / (float) (out - 1) : in / (float) out;
  }
}
