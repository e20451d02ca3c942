package org.jlip.imports;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jlip.imports.OnnxFile.Node;
import org.jlip.imports.OnnxTranslator.Activation;
import org.jlip.imports.OnnxTranslator.Constant;
import org.jlip.imports.OnnxTranslator.Value;
import org.tensorflow.proto.AttrValue;

/**
 * deel-torchlip's GroupSort as PyTorch exports it: the whole batch reshaped to rows of n values
 * ({@code x.reshape(-1, n)}), each row sorted (n = 2: the two columns split or sliced, then Min and Max
 * concatenated; otherwise TopK ascending), and reshaped back to x's shape. Rows run along ONNX's last axis, so this
 * is GroupSort(n) on that axis when n divides it (the width of an NCHW image). The pieces are tracked as values of
 * their own, and the whole is written as the TensorFlow pattern of deel-lip 1.x's GroupSort (rows of Reshape(x,
 * [-1, n]) sorted, reshaped to Shape(x)), which the walk reads as one step. Any other use of the rows is refused.
 */
final class OnnxGroupSort {
  /** x.reshape(-1, n) of an activation, a row of n values of which mixes positions. */
  record Rows(Activation source, long n) implements Value {}

  /** One of the two columns of rows of 2 ({@code half} 0 or 1). */
  record Column(Rows rows, int half) implements Value {}

  /** Min ({@code max} false) or Max of the two columns. */
  record Extreme(Rows rows, boolean max) implements Value {}

  /** The rows, each sorted ascending; {@code pairs}: by Min and Max of two columns (n = 2), else by TopK. */
  record Sorted(Rows rows, boolean pairs) implements Value {}

  /** An output jlip does not read (TopK's indices); using it is refused with the reason. */
  record Unread(String why) implements Value {}

  private OnnxGroupSort() {}

  /** Reshape(x, [-1, n]) with n a proper divisor of the per-sample size: rows, if n divides the last ONNX axis. */
  static Value rows(OnnxTranslator t, Node n, Activation x, long[] target) throws IOException {
    long last = x.image() ? x.shape()[1] : x.shape()[x.shape().length - 1];
    if (target.length != 2 || target[0] != -1 || target[1] < 2 || last % target[1] != 0) {
      throw new UnsupportedModelException(t.where(n) + " reshapes the values of the whole batch to "
          + Arrays.toString(target) + ": rows that mix samples or positions, which jlip reads only as deel-torchlip's"
          + " GroupSort (rows of n along the last axis, n dividing it)");
    }
    return new Rows(x, target[1]);
  }

  /** Split of rows of 2 on axis 1 into its two columns. */
  static List<Value> split(OnnxTranslator t, Node n, Rows r) throws IOException {
    long axis = t.attrI(n, "axis", 0);
    if (r.n() != 2 || (axis != 1 && axis != -1) || n.outputs().size() != 2) {
      throw new UnsupportedModelException(t.where(n) + " of rows of " + r.n() + " on axis " + axis + "; jlip reads"
          + " GroupSort2's split of rows of 2 into their two columns");
    }
    return List.of(new Column(r, 0), new Column(r, 1));
  }

  /** Slice of rows of 2: column 0 (from 0 to 1) or 1 (from 1 to the end) on axis 1. */
  static Value slice(OnnxTranslator t, Node n, Rows r, long[] starts, long[] ends, long[] axes, long[] steps)
      throws IOException {
    boolean ok = r.n() == 2 && starts != null && ends != null && starts.length == 1 && ends.length == 1
        && (axes == null || axes.length == 1 && (axes[0] == 1 || axes[0] == -1))
        && (steps == null || steps.length == 1 && steps[0] == 1);
    if (ok && starts[0] == 0 && ends[0] == 1) {
      return new Column(r, 0);
    }
    if (ok && starts[0] == 1 && ends[0] >= 2) {
      return new Column(r, 1);
    }
    throw new UnsupportedModelException(t.where(n) + " of rows of " + r.n() + " from " + Arrays.toString(starts)
        + " to " + Arrays.toString(ends) + " on axes " + Arrays.toString(axes) + "; jlip reads GroupSort2's two"
        + " columns of rows of 2");
  }

  /** Min or Max of the two columns of the same rows. */
  static Value extreme(OnnxTranslator t, Node n, Value a, Value b) throws IOException {
    if (a instanceof Column p && b instanceof Column q && p.rows() == q.rows() && p.half() != q.half()) {
      return new Extreme(p.rows(), n.opType().equals("Max"));
    }
    throw new UnsupportedModelException(t.where(n) + ": a " + n.opType() + " of activations outside deel-torchlip's"
        + " GroupSort2 (Min and Max of the two columns of rows of 2)");
  }

  /** Concat(Min, Max) on axis 1: the rows of 2 sorted. */
  static Value concat(OnnxTranslator t, Node n, List<Value> in) throws IOException {
    long axis = t.attrI(n, "axis", 1);
    if (in.size() == 2 && in.get(0) instanceof Extreme lo && in.get(1) instanceof Extreme hi && !lo.max()
        && hi.max() && lo.rows() == hi.rows() && (axis == 1 || axis == -1)) {
      return new Sorted(lo.rows(), true);
    }
    throw new UnsupportedModelException(t.where(n) + ": a concatenation of GroupSort2's pieces other than (Min,"
        + " Max) on axis 1");
  }

  /** TopK(rows, n) ascending and sorted on the last axis: the sorted rows, and indices jlip does not read. */
  static List<Value> topK(OnnxTranslator t, Node n, Rows r, long[] k) throws IOException {
    if (k == null || k.length != 1 || k[0] != r.n() || t.attrI(n, "largest", 1) != 0 || t.attrI(n, "sorted", 1) != 1
        || (t.attrI(n, "axis", -1) != -1 && t.attrI(n, "axis", -1) != 1)) {
      throw new UnsupportedModelException(t.where(n) + " keeps " + Arrays.toString(k) + " of rows of " + r.n()
          + "; jlip reads an ascending sort of whole rows (deel-torchlip's GroupSort)");
    }
    return List.of(new Sorted(r, false), new Unread(t.where(n) + ": its indices are not read"));
  }

  /**
   * Reshape of the sorted rows back to the source's shape: written as TensorFlow's Reshape(x, [-1, n]), the row
   * sort, and Reshape(..., Shape(x)), on the NCHW order for an image.
   */
  static Activation back(OnnxTranslator t, Node n, Sorted s, long[] target) throws IOException {
    Activation src = s.rows().source();
    long[] onnx = src.image() ? new long[] {src.shape()[2], src.shape()[0], src.shape()[1]} : src.shape();
    long[] per = Arrays.copyOfRange(target, 1, target.length);
    long total = Arrays.stream(onnx).reduce(1, (p, q) -> p * q);
    long known = Arrays.stream(per).filter(v -> v > 0).reduce(1, (p, q) -> p * q);
    long[] resolved = Arrays.stream(per).map(v -> v == -1 && known > 0 ? total / known : v).toArray();
    if (!Arrays.equals(resolved, onnx)) {
      throw new UnsupportedModelException(t.where(n) + " reshapes sorted rows to " + Arrays.toString(target)
          + ", not back to the shape of the values they came from [N, " + OnnxTranslator.join(onnx) + "]");
    }
    String label = n.name().isEmpty() ? "group_sort" : n.name();
    Activation x = src.image() ? t.toNchw(src, label) : src;
    String rows = t.emitNode("Reshape", label + "/rows", Map.of(), x.ref(), t.intArg(-1, s.rows().n()))
        + ":output:0";
    String sorted;
    if (s.pairs()) {
      String split = t.emitNode("Split", label + "/split", Map.of("num_split", AttrValue.newBuilder().setI(2)
          .build()), t.intScalar(1), rows);
      String[] halves = {split + ":output:0", split + ":output:1"};
      String lo = t.emitNode("Minimum", label + "/min", Map.of(), halves) + ":output:0";
      String hi = t.emitNode("Maximum", label + "/max", Map.of(), halves) + ":output:0";
      sorted = t.emitNode("ConcatV2", label + "/sorted", Map.of("N", AttrValue.newBuilder().setI(2).build()), lo, hi,
          t.intScalar(1)) + ":output:0";
    } else {
      String neg = t.emitNode("Neg", label + "/neg", Map.of(), rows) + ":output:0";
      String topk = t.emitNode("TopKV2", label + "/topk", Map.of("sorted", OnnxTranslator.flag(true)), neg,
          t.intScalar(s.rows().n()));
      sorted = t.emitNode("Neg", label + "/sorted", Map.of(), topk + ":values:0") + ":output:0";
    }
    String shape = t.emitNode("Shape", label + "/shape", Map.of(), x.ref()) + ":output:0";
    Activation y = t.emit("Reshape", label, x.shape(), false, Map.of(), sorted, shape);
    return src.image() ? t.emit("Transpose", label + "/to_nhwc", src.shape(), true, Map.of(), y.ref(),
        t.intArg(0, 2, 3, 1)) : y;
  }

  /** Shape of rows: [-1, n]. */
  static Constant shape(Rows r) {
    return new Constant(new long[] {2}, null, new long[] {-1, r.n()});
  }
}
