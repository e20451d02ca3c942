package org.jlip.imports;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.jlip.imports.OnnxFile.Node;
import org.jlip.imports.OnnxTranslator.Activation;

/**
 * ONNX's Resize (and the older Upsample) of an image's H and W, as the TensorFlow kernel that computes the same
 * source coordinates ({@link Interpolation}): linear with half_pixel or pytorch_half_pixel (TensorFlow's
 * half_pixel_centers), align_corners, or asymmetric (neither flag); nearest with asymmetric coordinates rounded down
 * (PyTorch's {@code F.interpolate(mode="nearest")}). Cubic, antialiased and other nearest roundings are refused: their
 * weights differ.
 */
final class OnnxResize {
  private OnnxResize() {}

  static Activation of(OnnxTranslator t, Node n) throws IOException {
    Activation x = t.image(n, 0, true);
    boolean upsample = n.opType().equals("Upsample");
    String mode = t.attrS(n, "mode", "nearest");
    String coordinates = upsample ? "asymmetric" : t.attrS(n, "coordinate_transformation_mode", "half_pixel");
    String rounding = t.attrS(n, "nearest_mode", "round_prefer_floor");
    long[] axes = t.attrInts(n, "axes", null);
    if (t.attrI(n, "antialias", 0) != 0 || !t.attrS(n, "keep_aspect_ratio_policy", "stretch").equals("stretch")
        || axes != null && !Arrays.equals(axes, new long[] {2, 3}) && !Arrays.equals(axes, new long[] {-2, -1})) {
      throw new UnsupportedModelException(t.where(n) + ": antialias, a kept aspect ratio or axes other than H and W");
    }
    long h = x.shape()[0];
    long w = x.shape()[1];
    long[] size = outputSize(t, n, upsample, h, w, x.shape()[2]);
    boolean nearest = mode.equals("nearest");
    boolean align = coordinates.equals("align_corners");
    boolean half = coordinates.equals("half_pixel") || coordinates.equals("pytorch_half_pixel") && size[0] > 1
        && size[1] > 1;
    boolean known = nearest ? coordinates.equals("asymmetric") && rounding.equals("floor")
        : mode.equals("linear") && (align || half || coordinates.equals("asymmetric"));
    if (!known) {
      throw new UnsupportedModelException(t.where(n) + ": mode " + mode + " with coordinate_transformation_mode "
          + coordinates + (nearest ? " and nearest_mode " + rounding : "") + "; jlip reads linear (half_pixel,"
          + " pytorch_half_pixel, align_corners or asymmetric) and nearest (asymmetric, floor)");
    }
    KerasResizeLayers.requireSize(t.where(n), size[0], size[1], x.shape());
    return t.emit(nearest ? "ResizeNearestNeighbor" : "ResizeBilinear", n.name(), new long[] {size[0], size[1],
        x.shape()[2]}, true, Map.of("align_corners", OnnxTranslator.flag(align), "half_pixel_centers",
        OnnxTranslator.flag(half)), x.ref(), t.intArg(size[0], size[1]));
  }

  /** [H', W'] from the sizes input ([N, C, H', W']) or the scales ([1, 1, sh, sw]: floor(H sh), floor(W sw)). */
  private static long[] outputSize(OnnxTranslator t, Node n, boolean upsample, long h, long w, long c)
      throws IOException {
    if (!upsample && t.hasInput(n, 3)) {
      long[] s = t.integers(n, 3);
      if (s.length == 4 && (s[1] == c || s[1] == -1) && s[2] > 0 && s[3] > 0) {
        return new long[] {s[2], s[3]};
      }
      if (s.length == 2 && s[0] > 0 && s[1] > 0) {
        return s;
      }
      throw new UnsupportedModelException(t.where(n) + ": sizes " + Arrays.toString(s) + " for an image of "
          + c + " channels");
    }
    float[] scales = upsample && !t.hasInput(n, 1) ? t.attrFloats(n, "scales") : t.floats(n, upsample ? 1 : 2);
    if (scales == null || scales.length != 4 || scales[0] != 1 || scales[1] != 1 || !(scales[2] > 0)
        || !(scales[3] > 0)) {
      throw new UnsupportedModelException(t.where(n) + ": scales " + Arrays.toString(scales) + "; jlip reads [1, 1,"
          + " sh, sw] with positive factors");
    }
    return new long[] {(long) Math.floor(h * (double) scales[2]), (long) Math.floor(w * (double) scales[3])};
  }
}
