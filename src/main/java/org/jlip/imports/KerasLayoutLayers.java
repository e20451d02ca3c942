package org.jlip.imports;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Keras layers that move values without computing on them: ZeroPadding2D ({@link Step.Pad}), Cropping2D
 * ({@link Step.Crop}) and Permute ({@link Step.Transpose}). Each is exactly 1-Lipschitz. Images are held NHWC here,
 * so a channels_first model's padding and cropping apply to the same H and W axes, and its Permute is rewritten for
 * the NHWC layout.
 */
final class KerasLayoutLayers {
  private static final int[] HERE_OF_KERAS = {2, 0, 1};
  private static final int[] KERAS_OF_HERE = {1, 2, 0};

  private KerasLayoutLayers() {}

  /** ZeroPadding2D: padding as one number, [rows, cols] or [[top, bottom], [left, right]]. */
  static Step.Pad zeroPadding(Path file, String name, JsonNode c, long[] shape) throws UnsupportedModelException {
    long[][] p = spatialPairs(file, name, "ZeroPadding2D", "padding", c.path("padding"), shape);
    return new Step.Pad(name, new long[] {p[0][0], p[1][0], 0}, new long[] {p[0][1], p[1][1], 0});
  }

  /** Cropping2D: cropping as one number, [rows, cols] or [[top, bottom], [left, right]]. */
  static Step.Crop cropping(Path file, String name, JsonNode c, long[] shape) throws UnsupportedModelException {
    long[][] p = spatialPairs(file, name, "Cropping2D", "cropping", c.path("cropping"), shape);
    long h = shape[0] - p[0][0] - p[0][1];
    long w = shape[1] - p[1][0] - p[1][1];
    if (h < 1 || w < 1) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (Cropping2D) crops " + c.path("cropping")
          + " from an input of shape " + Arrays.toString(shape) + ", which leaves nothing");
    }
    return new Step.Crop(name, new long[] {p[0][0], p[1][0], 0}, new long[] {h, w, shape[2]});
  }

  /** Where Keras's axis {@code a} of a channels_first image, (C, H, W) after the batch, is in jlip's (H, W, C). */
  static int hereOfKeras(int a) {
    return HERE_OF_KERAS[a];
  }

  /**
   * Permute(dims), dims 1-based over the axes after the batch axis in Keras's layout. In a channels_first model
   * an image is (C, H, W) to Keras and (H, W, C) here, and the layers after the Permute read its output as
   * (C, H, W) again: output axis j here is Keras output axis {1, 2, 0}[j], which is Keras input axis
   * dims[that] - 1, which is axis {2, 0, 1}[that] here.
   */
  static Step.Transpose permute(Path file, String name, JsonNode c, long[] shape, boolean channelsFirst)
      throws UnsupportedModelException {
    JsonNode d = c.path("dims");
    int[] dims = new int[d.size()];
    boolean[] seen = new boolean[dims.length];
    boolean ok = d.isArray() && dims.length == shape.length;
    for (int i = 0; ok && i < dims.length; i++) {
      dims[i] = d.get(i).asInt() - 1;
      ok = d.get(i).isIntegralNumber() && dims[i] >= 0 && dims[i] < dims.length && !seen[dims[i]];
      seen[ok ? dims[i] : 0] = true;
    }
    if (!ok) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (Permute) has dims " + d + "; expected a"
          + " permutation of 1.." + shape.length + " for its input of shape " + Arrays.toString(shape));
    }
    if (!channelsFirst || shape.length != 3) {
      return new Step.Transpose(name, dims);
    }
    int[] perm = new int[3];
    for (int j = 0; j < 3; j++) {
      perm[j] = HERE_OF_KERAS[dims[KERAS_OF_HERE[j]]];
    }
    return new Step.Transpose(name, perm);
  }

  private static long[][] spatialPairs(Path file, String name, String type, String key, JsonNode v, long[] shape)
      throws UnsupportedModelException {
    long[][] p = new long[2][2];
    boolean ok = shape.length == 3;
    if (v.isIntegralNumber()) {
      p = new long[][] {{v.asLong(), v.asLong()}, {v.asLong(), v.asLong()}};
    } else if (v.isArray() && v.size() == 2) {
      for (int axis = 0; axis < 2; axis++) {
        JsonNode a = v.get(axis);
        if (a.isIntegralNumber()) {
          p[axis] = new long[] {a.asLong(), a.asLong()};
        } else if (a.isArray() && a.size() == 2 && a.get(0).isIntegralNumber() && a.get(1).isIntegralNumber()) {
          p[axis] = new long[] {a.get(0).asLong(), a.get(1).asLong()};
        } else {
          ok = false;
        }
      }
    } else {
      ok = false;
    }
    ok &= Arrays.stream(p).flatMapToLong(Arrays::stream).allMatch(x -> x >= 0);
    if (!ok) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (" + type + ") has " + key + " " + v
          + " on an input of shape " + Arrays.toString(shape) + "; expected an image input and a number, [rows,"
          + " cols] or [[top, bottom], [left, right]] of non-negative integers");
    }
    return p;
  }
}
