package org.jlip.imports;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Keras layers that change an image's size: Resizing and UpSampling2D ({@link Step.Resize}, bilinear or nearest,
 * as TF2's {@code tf.image.resize} computes them; UpSampling2D's nearest is tf.repeat, the same map) and
 * CenterCrop ({@link Step.Crop}). Images are held NHWC, so channels_first models resize the same H and W axes.
 */
final class KerasResizeLayers {
  private KerasResizeLayers() {}

  /**
   * Resizing(height, width, interpolation, crop_to_aspect_ratio): with crop_to_aspect_ratio, first the centred
   * box of the target's aspect ratio, sized as Keras computes it in float32.
   */
  static List<Step> resizing(Path file, String name, JsonNode c, long[] shape) throws UnsupportedModelException {
    String where = file + ": layer '" + name + "' (Resizing)";
    requireImage(where, shape);
    int th = positive(where, c, "height");
    int tw = positive(where, c, "width");
    boolean nearest = interpolation(where, c);
    if (c.path("antialias").asBoolean(false) || c.path("pad_to_aspect_ratio").asBoolean(false)) {
      throw new UnsupportedModelException(where + " has antialias " + c.path("antialias") + " and"
          + " pad_to_aspect_ratio " + c.path("pad_to_aspect_ratio") + "; jlip reads neither (antialiasing changes"
          + " the interpolation weights, the padding is a conditional)");
    }
    List<Step> steps = new ArrayList<>();
    long h = shape[0];
    long w = shape[1];
    if (c.path("crop_to_aspect_ratio").asBoolean(false)) {
      long ch = Math.max(Math.min(h, (long) ((float) (w * th) / tw)), 1);
      long cw = Math.max(Math.min(w, (long) ((float) (h * tw) / th)), 1);
      if (ch != h || cw != w) {
        steps.add(new Step.Crop(name + "/crop", new long[] {(long) ((float) (h - ch) / 2),
            (long) ((float) (w - cw) / 2), 0}, new long[] {ch, cw, shape[2]}));
      }
    }
    requireSize(where, th, tw, shape);
    steps.add(new Step.Resize(name, nearest, th, tw, false, true));
    return steps;
  }

  /** UpSampling2D(size, interpolation): a resize to [H * size[0], W * size[1]]. */
  static Step.Resize upSampling(Path file, String name, JsonNode c, long[] shape) throws UnsupportedModelException {
    String where = file + ": layer '" + name + "' (UpSampling2D)";
    requireImage(where, shape);
    JsonNode s = c.path("size");
    long[] size = s.isIntegralNumber() ? new long[] {s.asLong(), s.asLong()}
        : s.isArray() && s.size() == 2 && s.get(0).isIntegralNumber() && s.get(1).isIntegralNumber()
            ? new long[] {s.get(0).asLong(), s.get(1).asLong()} : null;
    if (size == null || size[0] < 1 || size[1] < 1 || size[0] * shape[0] > Integer.MAX_VALUE
        || size[1] * shape[1] > Integer.MAX_VALUE) {
      throw new UnsupportedModelException(where + " has size " + s + "; expected two positive factors");
    }
    requireSize(where, size[0] * shape[0], size[1] * shape[1], shape);
    return new Step.Resize(name, interpolation(where, c), Math.toIntExact(size[0] * shape[0]),
        Math.toIntExact(size[1] * shape[1]), false, true);
  }

  /** CenterCrop(height, width) of an image at least that large: the block from ((H - h) / 2, (W - w) / 2). */
  static Step.Crop centerCrop(Path file, String name, JsonNode c, long[] shape) throws UnsupportedModelException {
    String where = file + ": layer '" + name + "' (CenterCrop)";
    requireImage(where, shape);
    int th = positive(where, c, "height");
    int tw = positive(where, c, "width");
    if (th > shape[0] || tw > shape[1]) {
      throw new UnsupportedModelException(where + " crops " + th + "x" + tw + " from an image of shape "
          + Arrays.toString(shape) + "; Keras resizes a smaller image instead, which jlip does not read");
    }
    return new Step.Crop(name, new long[] {(shape[0] - th) / 2, (shape[1] - tw) / 2, 0},
        new long[] {th, tw, shape[2]});
  }

  private static boolean interpolation(String where, JsonNode c) throws UnsupportedModelException {
    String m = c.path("interpolation").asText("bilinear").toLowerCase(Locale.ROOT);
    if (!m.equals("bilinear") && !m.equals("nearest")) {
      throw new UnsupportedModelException(where + " has interpolation '" + m + "'; jlip reads bilinear and nearest");
    }
    return m.equals("nearest");
  }

  private static int positive(String where, JsonNode c, String key) throws UnsupportedModelException {
    JsonNode v = c.path(key);
    if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > 1 << 16) {
      throw new UnsupportedModelException(where + " has " + key + " " + v + "; expected an integer in 1..65536");
    }
    return v.asInt();
  }

  /** An output of at most {@link TensorProtos#MAX_ELEMENTS} values per sample, as for a graph constant. */
  static void requireSize(String where, long h, long w, long[] shape) throws UnsupportedModelException {
    if (h > 1 << 16 || w > 1 << 16 || h * w * shape[2] > TensorProtos.MAX_ELEMENTS) {
      throw new UnsupportedModelException(where + " makes a " + h + "x" + w + "x" + shape[2] + " image of each sample,"
          + " more than the " + TensorProtos.MAX_ELEMENTS + " values jlip accepts");
    }
  }

  private static void requireImage(String where, long[] shape) throws UnsupportedModelException {
    if (shape.length != 3) {
      throw new UnsupportedModelException(where + " needs an image input [H, W, C], got " + Arrays.toString(shape));
    }
  }
}
