package org.jlip.imports;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jlip.imports.OnnxFile.Node;
import org.jlip.imports.OnnxTranslator.Activation;
import org.jlip.imports.OnnxTranslator.Value;
import org.tensorflow.proto.AttrValue;

/**
 * Slices of an image ({@code x[:, :, i::k, j::k]}, {@code x[:, :, 1:-1, 1:-1]}). A slice selects, on each of the
 * channel, height and width axes, the positions start + step * t for t < count; slices of slices compose. Only
 * their use decides what they become:
 * <ul>
 *   <li>concatenated on the channel axis, the k_h k_w slices (i, j) of steps (k_h, k_w), in row- or column-major
 *       order, are deel-torchlip's InvertibleDownSampling: a permutation of the values, written as reshape,
 *       transpose and reshape (bound 1; as slices concatenated, the walk could only bound it by sqrt(k_h k_w));</li>
 *   <li>read by anything else, a unit-step slice is a crop (bound 1); a strided one is refused.</li>
 * </ul>
 */
final class OnnxImageSlices {
  private OnnxImageSlices() {}

  /**
   * Positions start[a] + step[a] t, t < count[a], on the axes a = channel, height, width (ONNX's 1, 2, 3) of
   * {@code source}, an image held NHWC.
   */
  record Slice(Activation source, long[] start, long[] step, long[] count) implements Value {}

  /** An ONNX Slice of an image or of a slice of one (starts, ends, axes, steps as ONNX defines them). */
  static Value slice(OnnxTranslator t, Node n, Value in, long[] starts, long[] ends, long[] axes, long[] steps)
      throws IOException {
    Slice s = in instanceof Slice p ? p : whole((Activation) in);
    long[] start = s.start().clone();
    long[] step = s.step().clone();
    long[] count = s.count().clone();
    for (int k = 0; k < starts.length; k++) {
      long axis = axes == null ? k : axes[k] < 0 ? axes[k] + 4 : axes[k];
      long st = steps == null ? 1 : steps[k];
      if (axis < 1 || axis > 3 || st < 1 || k >= ends.length) {
        throw new UnsupportedModelException(t.where(n) + ": slices axis " + (axes == null ? k : axes[k]) + " with"
            + " step " + st + "; jlip reads forward slices of an image's channel, height and width axes");
      }
      int a = (int) axis - 1;
      long from = clamp(starts[k], count[a]);
      long to = Math.max(from, clamp(ends[k], count[a]));
      long taken = (to - from + st - 1) / st;
      if (taken < 1) {
        throw new UnsupportedModelException(t.where(n) + ": an empty slice of axis " + axis);
      }
      start[a] += step[a] * from;
      step[a] *= st;
      count[a] = taken;
    }
    return new Slice(s.source(), start, step, count);
  }

  /** A slice read by anything but the concatenation above: a crop when its steps are 1. */
  static Activation crop(OnnxTranslator t, Node n, Slice s) throws UnsupportedModelException {
    if (Arrays.stream(s.step()).anyMatch(v -> v != 1)) {
      throw new UnsupportedModelException(t.where(n) + " reads a strided slice of an image (steps [channel, height, width] "
          + Arrays.toString(s.step()) + ") read other than concatenated as deel-torchlip's InvertibleDownSampling;"
          + " jlip reads crops (step 1)");
    }
    long[] sh = s.source().shape();
    long[] begin = {0, s.start()[1], s.start()[2], s.start()[0]};
    long[] end = {0, s.start()[1] + s.count()[1], s.start()[2] + s.count()[2], s.start()[0] + s.count()[0]};
    long[] out = {s.count()[1], s.count()[2], s.count()[0]};
    if (Arrays.equals(out, sh)) {
      return s.source();
    }
    return t.emit("StridedSlice", n.name() + "/crop", out, true, Map.of("begin_mask", mask(1), "end_mask", mask(1)),
        s.source().ref(), t.intArg(begin), t.intArg(end), t.intArg(1, 1, 1, 1));
  }

  /**
   * Concat on the channel axis of slices that are InvertibleDownSampling's, or null when they are not: the caller
   * then reads them as crops.
   */
  static Activation invertibleDownSampling(OnnxTranslator t, Node n, List<Value> in) {
    if (in.isEmpty() || !(in.get(0) instanceof Slice first)) {
      return null;
    }
    long[] sh = first.source().shape();
    long kh = first.step()[1];
    long kw = first.step()[2];
    long c = sh[2];
    if (in.size() != kh * kw || in.size() < 2 || sh[0] % kh != 0 || sh[1] % kw != 0) {
      return null;
    }
    boolean rowMajor = true;
    boolean columnMajor = true;
    for (int k = 0; k < in.size(); k++) {
      if (!(in.get(k) instanceof Slice s) || s.source() != first.source() || s.start()[0] != 0 || s.step()[0] != 1
          || s.count()[0] != c || s.step()[1] != kh || s.step()[2] != kw || s.count()[1] != sh[0] / kh
          || s.count()[2] != sh[1] / kw) {
        return null;
      }
      rowMajor &= s.start()[1] == k / kw && s.start()[2] == k % kw;
      columnMajor &= s.start()[1] == k % kh && s.start()[2] == k / kh;
    }
    if (!rowMajor && !columnMajor) {
      return null;
    }
    long h = sh[0] / kh;
    long w = sh[1] / kw;
    Activation blocks = t.emit("Reshape", n.name() + "/blocks", new long[] {h, kh, w, kw, c}, false, Map.of(),
        first.source().ref(), t.intArg(-1, h, kh, w, kw, c));
    long[] perm = rowMajor ? new long[] {0, 1, 3, 2, 4, 5} : new long[] {0, 1, 3, 4, 2, 5};
    long[] moved = rowMajor ? new long[] {h, w, kh, kw, c} : new long[] {h, w, kw, kh, c};
    Activation m = t.emit("Transpose", n.name() + "/order", moved, false, Map.of(), blocks.ref(), t.intArg(perm));
    return t.emit("Reshape", n.name(), new long[] {h, w, kh * kw * c}, true, Map.of(), m.ref(),
        t.intArg(-1, h, w, kh * kw * c));
  }

  /**
   * A Concat along H or W of unit-step crops of one image that keep its other axes whole, the image itself among
   * them or not (PyTorch's circular padding through the TorchScript exporter: x[..., -p:], x, x[..., :p]): one
   * GatherV2 of those rows or columns, whose bound is exact, instead of a concatenation bounded by sqrt(parts); or
   * null for any other Concat.
   */
  static Activation spatialGather(OnnxTranslator t, Node n, List<Value> in) {
    long axis = t.attrI(n, "axis", 1);
    axis = axis < 0 ? axis + 4 : axis;
    if (axis != 2 && axis != 3 || in.isEmpty()) {
      return null;
    }
    int a = (int) axis - 1;
    Activation source = null;
    List<Long> idx = new java.util.ArrayList<>();
    for (Value v : in) {
      Slice s = v instanceof Slice p ? p : v instanceof Activation x && x.image() ? whole(x) : null;
      if (s == null || source != null && !s.source().ref().equals(source.ref())) {
        return null;
      }
      source = s.source();
      long[] full = whole(source).count();
      for (int k = 0; k < 3; k++) {
        if (s.step()[k] != 1 || k != a && (s.start()[k] != 0 || s.count()[k] != full[k])) {
          return null;
        }
      }
      for (long i = 0; i < s.count()[a]; i++) {
        idx.add(s.start()[a] + i);
      }
      if (idx.size() > 1 << 20) {
        return null;
      }
    }
    long[] out = source.shape().clone();
    out[a - 1] = idx.size();
    return t.emit("GatherV2", n.name(), out, true, Map.of(), source.ref(),
        t.intArg(idx.stream().mapToLong(Long::longValue).toArray()), t.intScalar(a));
  }

  private static Slice whole(Activation x) {
    long[] sh = x.shape();
    return new Slice(x, new long[3], new long[] {1, 1, 1}, new long[] {sh[2], sh[0], sh[1]});
  }

  /** ONNX's clamping of a slice bound on an axis of {@code n} positions (negative counts from the end). */
  private static long clamp(long v, long n) {
    long i = v < 0 ? v + n : v;
    return Math.max(0, Math.min(i, n));
  }

  private static AttrValue mask(long bits) {
    return AttrValue.newBuilder().setI(bits).build();
  }
}
