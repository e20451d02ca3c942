package org.jlip.imports;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jlip.imports.FunctionRebuilder.Const;
import org.tensorflow.proto.NodeDef;

/**
 * Steps for the ops that move the activation's values without computing on them: zero padding (Keras's
 * ZeroPadding2D exports as Pad), padding that copies border values (MirrorPad) and unit-stride slicing (Cropping2D
 * exports as StridedSlice). All keep the batch axis whole, so each sample's values stay its own.
 */
final class WindowOps {
  private WindowOps() {}

  /** Pad or PadV2 (one finite constant) with constant paddings [rank + 1, 2]. */
  static Step.Pad pad(NodeDef n, long[] shape, Const paddings, Const value, String where)
      throws UnsupportedModelException {
    if (value != null && (value.floats() == null || value.floats().length != 1
        || !Float.isFinite(value.floats()[0]))) {
      throw new UnsupportedModelException(where + ": pads with " + (value.floats() == null ? "a non-float value"
          : Arrays.toString(value.floats())) + "; jlip reads padding by one finite constant");
    }
    long[] p = paddingsOf(shape, paddings, where);
    long[] before = new long[shape.length];
    long[] after = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      before[i] = p[2 * i + 2];
      after[i] = p[2 * i + 3];
    }
    return new Step.Pad(n.getName(), before, after, value == null ? 0f : value.floats()[0]);
  }

  /**
   * MirrorPad (mode REFLECT or SYMMETRIC): a {@link Step.Gather} of the border-copying indices along each padded axis
   * ({@link CopyPadding}); its bound is sqrt of the most copies of one value per axis (at most 2 per axis).
   */
  static List<Step> mirrorPad(NodeDef n, long[] shape, Const paddings, String where)
      throws UnsupportedModelException {
    long[] p = paddingsOf(shape, paddings, where);
    String mode = n.getAttrOrThrow("mode").getS().toStringUtf8();
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < shape.length; i++) {
      if (p[2 * i + 2] != 0 || p[2 * i + 3] != 0) {
        steps.add(new Step.Gather(n.getName() + "/axis" + (i + 1), i, CopyPadding.sources(Math.toIntExact(shape[i]),
            Math.toIntExact(p[2 * i + 2]), Math.toIntExact(p[2 * i + 3]), mode, where)));
      }
    }
    return steps;
  }

  /** The paddings [rank + 1, 2] as a flat vector, refused when they pad the batch axis. */
  private static long[] paddingsOf(long[] shape, Const paddings, String where) throws UnsupportedModelException {
    long[] p = paddings.longs();
    if (p == null || p.length != 2 * (shape.length + 1)) {
      throw new UnsupportedModelException(where + ": paddings of shape " + Arrays.toString(paddings.shape())
          + " for an activation of shape " + Arrays.toString(shape) + " after the batch axis");
    }
    if (p[0] != 0 || p[1] != 0) {
      throw new UnsupportedModelException(where + ": pads the batch axis");
    }
    if (Arrays.stream(p).anyMatch(v -> v < 0 || v > 1 << 20)) {
      throw new UnsupportedModelException(where + ": paddings " + Arrays.toString(p) + " (0 to 2^20 each)");
    }
    return p;
  }

  /**
   * StridedSlice of the activation with unit strides and no ellipsis, new or shrunk axes, keeping the batch axis
   * whole: the block it selects, with begin_mask/end_mask and negative indices resolved on the static shape.
   */
  static Step.Crop stridedSlice(NodeDef n, long[] shape, Const begin, Const end, Const strides, String where)
      throws UnsupportedModelException {
    long[] b = begin.longs();
    long[] e = end.longs();
    long[] s = strides.longs();
    int rank = shape.length + 1;
    if (b == null || e == null || s == null || b.length != rank || e.length != rank || s.length != rank
        || ConstFolding.mask(n, "ellipsis_mask") != 0 || ConstFolding.mask(n, "new_axis_mask") != 0
        || ConstFolding.mask(n, "shrink_axis_mask") != 0 || Arrays.stream(s).anyMatch(x -> x != 1)) {
      throw new UnsupportedModelException(where + ": slices the activation " + Arrays.toString(shape) + " with"
          + " begin " + Arrays.toString(b) + ", end " + Arrays.toString(e) + ", strides " + Arrays.toString(s)
          + " and masks; jlip reads a unit-stride block over every axis (a crop), nothing else");
    }
    long beginMask = ConstFolding.mask(n, "begin_mask");
    long endMask = ConstFolding.mask(n, "end_mask");
    if (((beginMask & 1) == 0 && b[0] != 0) || (endMask & 1) == 0) {
      throw new UnsupportedModelException(where + ": slices the batch axis; jlip certifies one sample at a time");
    }
    long[] from = new long[shape.length];
    long[] size = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      long n0 = shape[i];
      long lo = (beginMask >> (i + 1) & 1) != 0 ? 0 : ConstFolding.index(b[i + 1], n0);
      long hi = (endMask >> (i + 1) & 1) != 0 ? n0 : ConstFolding.index(e[i + 1], n0);
      from[i] = Math.max(0, Math.min(lo, n0));
      size[i] = Math.max(0, Math.min(hi, n0) - from[i]);
    }
    return new Step.Crop(n.getName(), from, size);
  }
}
