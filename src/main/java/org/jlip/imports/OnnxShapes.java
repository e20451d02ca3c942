package org.jlip.imports;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.jlip.imports.OnnxFile.Node;
import org.jlip.imports.OnnxTranslator.Activation;
import org.jlip.imports.OnnxTranslator.Constant;
import org.jlip.imports.OnnxTranslator.Value;

/**
 * ONNX's ops that move values: Flatten and Reshape (of an image in ONNX's NCHW order, held NHWC again when the
 * result is an image), an NHWC input's Transpose, and the Slice and TopK of deel-torchlip's sorts.
 */
final class OnnxShapes {
  private OnnxShapes() {}

  static Value flatten(OnnxTranslator t, Node n) throws IOException {
    Activation x = t.image(n, 0, false);
    if (t.attrI(n, "axis", 1) != 1) {
      throw new UnsupportedModelException(t.where(n) + " at axis " + t.attrI(n, "axis", 1) + "; jlip reads axis 1");
    }
    return flat(t, n.name(), x, new long[] {Arrays.stream(x.shape()).reduce(1, (p, q) -> p * q)});
  }

  /** The activation's values in ONNX's order reshaped to {@code target} (per sample), held NHWC again if 3-D. */
  static Activation flat(OnnxTranslator t, String label, Activation x, long[] target) {
    Activation v = x.image() ? t.toNchw(x, label) : x;
    boolean image = target.length == 3;
    long[] held = image ? new long[] {target[1], target[2], target[0]} : target;
    long[] full = new long[target.length + 1];
    full[0] = -1;
    System.arraycopy(target, 0, full, 1, target.length);
    Activation r = t.emit("Reshape", label, image ? target : held, false, Map.of(), v.ref(), t.intArg(full));
    return image ? t.emit("Transpose", label + "/to_nhwc", held, true, Map.of(), r.ref(), t.intArg(0, 2, 3, 1)) : r;
  }

  static Value reshape(OnnxTranslator t, Node n) throws IOException {
    if (t.input(n, 0) instanceof OnnxGroupSort.Sorted sorted) {
      return OnnxGroupSort.back(t, n, sorted, t.integers(n, 1));
    }
    Activation x = t.image(n, 0, false);
    long[] s = t.constant(n, 1).longs();
    long perSample = Arrays.stream(x.shape()).reduce(1, (p, q) -> p * q);
    if (s != null && s.length == 2 && s[0] == -1 && s[1] != perSample && s[1] != -1) {
      return OnnxGroupSort.rows(t, n, x, s);
    }
    if (s == null || s.length < 2) {
      throw new UnsupportedModelException(t.where(n) + ": shape " + Arrays.toString(s) + "; jlip reads a constant"
          + " integer shape with the batch axis first");
    }
    long[] onnxShape = x.image() ? new long[] {x.shape()[2], x.shape()[0], x.shape()[1]} : x.shape();
    long total = Arrays.stream(onnxShape).reduce(1, (p, q) -> p * q);
    long[] target = Arrays.copyOfRange(s, 1, s.length);
    boolean allowZero = t.attrI(n, "allowzero", 0) != 0;
    long known = 1;
    int unknown = -1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == 0 && !allowZero) {
        if (i + 1 >= onnxShape.length + 1) {
          throw new UnsupportedModelException(t.where(n) + ": copies dimension " + (i + 1) + " that the input lacks");
        }
        target[i] = onnxShape[i];
      }
      if (target[i] == -1 && unknown < 0) {
        unknown = i;
      } else if (target[i] < 1) {
        throw new UnsupportedModelException(t.where(n) + ": shape " + Arrays.toString(s) + " for " + total
            + " values per sample");
      } else {
        known *= target[i];
      }
    }
    if (unknown >= 0) {
      target[unknown] = known > 0 && total % known == 0 ? total / known : -2;
    }
    if (Arrays.stream(target).reduce(1, (p, q) -> p * q) != total || target[unknown < 0 ? 0 : unknown] < 1) {
      throw new UnsupportedModelException(t.where(n) + " reshapes the " + total + " values of each sample to "
          + Arrays.toString(s) + "; jlip reads reshapes that keep the batch axis");
    }
    return flat(t, n.name(), x, target);
  }

  /** The NHWC input's transpose to NCHW: the image as ONNX sees it, which jlip holds NHWC anyway. */
  /**
   * An NHWC input's transpose to NCHW (a model converted from TensorFlow) is how jlip holds images already. Any
   * other permutation that keeps the batch axis first is applied in ONNX's order (an image goes to NCHW first):
   * with the reshapes around it, that reads pixel_unshuffle and deel-torchlip's invertible down- and upsampling,
   * each a permutation of the values (bound 1). The result is a plain tensor until a reshape to [N, C, H, W].
   */
  static Value transpose(OnnxTranslator t, Node n) throws IOException {
    Activation x = t.image(n, 0, false);
    long[] perm = t.attrInts(n, "perm", null);
    if (t.nhwcInput() && x.ref().equals("x") && Arrays.equals(perm, new long[] {0, 3, 1, 2})) {
      return new Activation(x.ref(), x.shape(), true);
    }
    Activation v = x.image() ? t.toNchw(x, n.name()) : x;
    long[] in = v.shape();
    boolean ok = perm != null && perm.length == in.length + 1 && perm[0] == 0
        && Arrays.equals(Arrays.stream(perm).sorted().toArray(), LongStream.range(0, perm.length)
            .toArray());
    if (!ok) {
      throw new UnsupportedModelException(t.where(n) + ": a transpose " + Arrays.toString(perm) + " of [N, "
          + OnnxTranslator.join(in) + "]; jlip reads permutations of the axes that keep the batch axis first");
    }
    long[] out = new long[in.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = in[(int) perm[i + 1] - 1];
    }
    return t.emit("Transpose", n.name(), out, false, Map.of(), v.ref(), t.intArg(perm));
  }

  /**
   * Unsqueeze or Squeeze of an activation: unit axes added or removed after the batch axis (axes from the second
   * input, opset 13+, or the attribute), a reshape in ONNX's order.
   */
  static Value squeeze(OnnxTranslator t, Node n) throws IOException {
    Activation x = t.image(n, 0, false);
    long[] axes = t.hasInput(n, 1) ? t.integers(n, 1) : t.attrInts(n, "axes", null);
    long[] in = x.image() ? new long[] {x.shape()[2], x.shape()[0], x.shape()[1]} : x.shape();
    boolean add = n.opType().equals("Unsqueeze");
    int rank = in.length + 1 + (add ? (axes == null ? 0 : axes.length) : 0);
    List<Long> dims = new ArrayList<>();
    dims.add(-1L);
    Arrays.stream(in).forEach(dims::add);
    long[] sorted = axes == null ? null : Arrays.stream(axes).map(a -> a < 0 ? a + rank : a).sorted().toArray();
    boolean ok = !add || sorted != null;
    if (sorted != null) {
      for (int k = 0; ok && k < sorted.length; k++) {
        long a = add ? sorted[k] : sorted[sorted.length - 1 - k];
        ok = a >= 1 && a < (add ? rank : dims.size()) && (add || dims.get((int) a) == 1);
        if (ok && add) {
          dims.add((int) a, 1L);
        } else if (ok) {
          dims.remove((int) a);
        }
      }
    } else {
      dims.subList(1, dims.size()).removeIf(d -> d == 1);
    }
    if (!ok) {
      throw new UnsupportedModelException(t.where(n) + ": axes " + Arrays.toString(axes) + " of [N, "
          + OnnxTranslator.join(in) + "]; jlip reads unit axes added or removed after the batch axis");
    }
    long[] target = dims.subList(1, dims.size()).stream().mapToLong(Long::longValue).toArray();
    return flat(t, n.name(), x, target);
  }

  /**
   * DepthToSpace (pixel_shuffle; mode DCR or CRD) and SpaceToDepth of an image, as ONNX defines them: a reshape, a
   * transpose and a reshape in NCHW order, each moving values only (bound 1).
   */
  static Value depthSpace(OnnxTranslator t, Node n) throws IOException {
    Activation x = t.image(n, 0, true);
    long b = t.attrI(n, "blocksize", 0);
    long h = x.shape()[0];
    long w = x.shape()[1];
    long c = x.shape()[2];
    boolean toSpace = n.opType().equals("DepthToSpace");
    String mode = t.attrS(n, "mode", "DCR");
    if (b < 1 || (toSpace ? c % (b * b) != 0 : h % b != 0 || w % b != 0) || toSpace && !mode.equals("DCR")
        && !mode.equals("CRD")) {
      throw new UnsupportedModelException(t.where(n) + ": blocksize " + b + (toSpace ? ", mode " + mode : "")
          + " on an image of " + c + " channels, " + h + " x " + w + "; expected a block that divides them");
    }
    long[] split;
    long[] perm;
    long[] target;
    if (!toSpace) {
      split = new long[] {c, h / b, b, w / b, b};
      perm = new long[] {0, 3, 5, 1, 2, 4};
      target = new long[] {c * b * b, h / b, w / b};
    } else {
      long d = c / (b * b);
      split = mode.equals("DCR") ? new long[] {b, b, d, h, w} : new long[] {d, b, b, h, w};
      perm = mode.equals("DCR") ? new long[] {0, 3, 4, 1, 5, 2} : new long[] {0, 1, 4, 2, 5, 3};
      target = new long[] {d, h * b, w * b};
    }
    Activation blocks = flat(t, n.name() + "/blocks", x, split);
    long[] moved = new long[split.length];
    for (int i = 0; i < moved.length; i++) {
      moved[i] = split[(int) perm[i + 1] - 1];
    }
    Activation m = t.emit("Transpose", n.name() + "/order", moved, false, Map.of(), blocks.ref(), t.intArg(perm));
    return flat(t, n.name(), m, target);
  }

  /**
   * A slice of a shape vector (evaluated), of an image ({@link OnnxImageSlices}), or one of the two columns of
   * deel-torchlip's GroupSort2.
   */
  static Value slice(OnnxTranslator t, Node n) throws IOException {
    boolean inputs = t.hasInput(n, 1);
    long[] starts = inputs ? t.integers(n, 1) : t.attrInts(n, "starts", null);
    long[] ends = inputs ? t.integers(n, 2) : t.attrInts(n, "ends", null);
    long[] axes = inputs ? (t.hasInput(n, 3) ? t.integers(n, 3) : null) : t.attrInts(n, "axes", null);
    long[] steps = t.hasInput(n, 4) ? t.integers(n, 4) : null;
    if (t.input(n, 0) instanceof Constant c) {
      return OnnxConstants.slice(t.where(n), c, starts, ends, axes, steps);
    }
    Value in = t.input(n, 0);
    if (in instanceof OnnxImageSlices.Slice || in instanceof Activation a && a.image()) {
      if (starts == null || ends == null) {
        throw new UnsupportedModelException(t.where(n) + " lacks its starts or ends");
      }
      return OnnxImageSlices.slice(t, n, in, starts, ends, axes, steps);
    }
    if (!(in instanceof OnnxGroupSort.Rows r)) {
      throw new UnsupportedModelException(t.where(n) + ": a slice of a tensor that is not an image, outside"
          + " deel-torchlip's GroupSort2");
    }
    return OnnxGroupSort.slice(t, n, r, starts, ends, axes, steps);
  }

  /**
   * TopK: an ascending sort of rows (deel-torchlip's GroupSort) or of a whole vector (its FullSort, written as
   * TensorFlow's sort, Neg(TopKV2(Neg(x))), which the walk reads as one step).
   */
  static List<Value> topK(OnnxTranslator t, Node n) throws IOException {
    long[] k = t.integers(n, 1);
    if (t.input(n, 0) instanceof OnnxGroupSort.Rows r) {
      return OnnxGroupSort.topK(t, n, r, k);
    }
    Activation x = t.image(n, 0, false);
    long last = x.shape()[x.shape().length - 1];
    if (x.image() || x.shape().length != 1 || k.length != 1 || k[0] != last || t.attrI(n, "largest", 1) != 0
        || t.attrI(n, "sorted", 1) != 1 || (t.attrI(n, "axis", -1) != -1 && t.attrI(n, "axis", -1) != 1)) {
      throw new UnsupportedModelException(t.where(n) + " keeps " + Arrays.toString(k) + " values of a tensor of shape"
          + " [N, " + OnnxTranslator.join(x.shape()) + "]; jlip reads an ascending sort of a whole vector (FullSort)");
    }
    String neg = t.emitNode("Neg", n.name() + "/neg", Map.of(), x.ref()) + ":output:0";
    String topk = t.emitNode("TopKV2", n.name() + "/topk", Map.of("sorted", OnnxTranslator.flag(true)), neg,
        t.intScalar(last));
    return List.of(t.emit("Neg", n.name(), x.shape(), false, Map.of(), topk + ":values:0"),
        new OnnxGroupSort.Unread(t.where(n) + ": its indices are not read"));
  }
}
