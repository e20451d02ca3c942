package org.jlip.imports;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jlip.imports.FunctionRebuilder.Const;
import org.tensorflow.proto.NodeDef;

/**
 * What Keras 3 computes on weights alone, evaluated during the walk: shape plumbing (a bias read through Reshape
 * and Squeeze, Flatten's Reshape(x, Pack(StridedSlice(Shape(x), 0, 1), n)), where values keep their row-major
 * order and the unknown batch size is -1) and the element-wise arithmetic of an inference batch normalisation
 * (rsqrt(var + eps) * gamma, beta - mean * that), per channel or scalar.
 */
final class ConstFolding {
  private ConstFolding() {}

  /** Shape(activation): [-1, dims...]. */
  static Const shapeOf(long[] activationShape) {
    long[] s = new long[activationShape.length + 1];
    s[0] = -1;
    System.arraycopy(activationShape, 0, s, 1, activationShape.length);
    return new Const(null, s, new long[] {s.length});
  }

  /**
   * Reshape, Squeeze, Pack, StridedSlice, GatherV2, Prod, ConcatV2 or element-wise arithmetic with constant inputs.
   */
  static Const fold(NodeDef n, List<FunctionRebuilder.Val> in, String where) throws UnsupportedModelException {
    List<Const> c = new ArrayList<>();
    for (FunctionRebuilder.Val v : in) {
      if (v instanceof FunctionRebuilder.Act) {
        throw new UnsupportedModelException(where + ": " + n.getOp() + " of the activation outside the op patterns"
            + " jlip reads (TensorFlow's sort as Neg, TopKV2, Neg; MaxMin and PReLU as relu(x) and relu(-x); an L2"
            + " pooling's Sqrt), and it has no Lipschitz bound alone");
      }
      if (!(v instanceof Const k)) {
        throw new UnsupportedModelException(where + ": " + n.getOp() + " on a value jlip cannot evaluate");
      }
      c.add(k);
    }
    int shapeInputs = switch (n.getOp()) {
      case "Reshape" -> 2;
      case "StridedSlice" -> 4;
      default -> 0;
    };
    for (int i = 1; i < shapeInputs; i++) {
      // An empty shape is a scalar target (tf.repeat reshapes its count to one); slice bounds need a value.
      if (i >= c.size() || c.get(i).longs() == null || c.get(i).longs().length == 0 && !n.getOp().equals("Reshape")) {
        throw new UnsupportedModelException(where + ": " + n.getOp() + " input " + i + " is not an integer shape");
      }
    }
    return switch (n.getOp()) {
      case "Reshape" -> reshape(c.get(0), c.get(1).longs(), where);
      case "Squeeze" -> squeeze(n, c.get(0));
      case "ExpandDims" -> expandDims(c.get(0), c.get(1), where);
      case "Pack" -> pack(n, c, where);
      case "StridedSlice" -> stridedSlice(n, c, where);
      case "GatherV2" -> gather(n, c, where);
      case "Prod" -> prod(n, c, where);
      case "ConcatV2" -> concat(c, where);
      case "Rsqrt", "Sqrt", "Neg" -> unary(n.getOp(), c.get(0), where);
      case "Cast" -> cast(n, c.get(0), where);
      case "Add", "AddV2", "Sub", "Mul", "RealDiv", "Maximum", "Minimum" ->
          binary(n.getOp(), c.get(0), c.get(1), where);
      default -> throw new UnsupportedModelException(where + ": cannot evaluate " + n.getOp());
    };
  }

  /** Cast between float32 and int32/int64 (to integers toward zero, as TensorFlow truncates). */
  private static Const cast(NodeDef n, Const x, String where) throws UnsupportedModelException {
    var to = n.getAttrOrThrow("DstT").getType();
    if (x.floats() == null && x.longs() == null) {
      throw new UnsupportedModelException(where + ": Cast of a constant that is neither float nor integer");
    }
    if (to == org.tensorflow.proto.DataType.DT_FLOAT) {
      if (x.floats() != null) {
        return x;
      }
      float[] f = new float[x.longs().length];
      for (int i = 0; i < f.length; i++) {
        f[i] = x.longs()[i];
      }
      return new Const(f, null, x.shape());
    }
    if (to != org.tensorflow.proto.DataType.DT_INT32 && to != org.tensorflow.proto.DataType.DT_INT64) {
      throw new UnsupportedModelException(where + ": Cast to " + to + "; jlip evaluates float32 and integer casts");
    }
    if (x.longs() != null) {
      return x;
    }
    float[] v = floats(x, where);
    long[] l = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      l[i] = (long) v[i];
    }
    return new Const(null, l, x.shape());
  }

  private static Const unary(String op, Const x, String where) throws UnsupportedModelException {
    float[] v = floats(x, where);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = switch (op) {
        case "Rsqrt" -> (float) (1 / Math.sqrt(v[i]));
        case "Sqrt" -> (float) Math.sqrt(v[i]);
        default -> -v[i];
      };
    }
    return new Const(out, null, x.shape());
  }

  /** a op b for equal sizes or a size-1 side (a scalar, or a [1, ..., 1] tensor). */
  private static Const binary(String op, Const a, Const b, String where) throws UnsupportedModelException {
    if (a.longs() != null && b.longs() != null && !op.equals("RealDiv")) {
      return integers(op, a, b, where);
    }
    float[] x = floats(a, where);
    float[] y = floats(b, where);
    if (x.length != y.length && x.length != 1 && y.length != 1) {
      throw new UnsupportedModelException(where + ": " + op + " of shapes " + Arrays.toString(a.shape()) + " and "
          + Arrays.toString(b.shape()));
    }
    float[] out = new float[Math.max(x.length, y.length)];
    for (int i = 0; i < out.length; i++) {
      float p = x[x.length == 1 ? 0 : i];
      float q = y[y.length == 1 ? 0 : i];
      out[i] = switch (op) {
        case "Sub" -> p - q;
        case "Mul" -> p * q;
        case "RealDiv" -> p / q;
        case "Maximum" -> Math.max(p, q);
        case "Minimum" -> Math.min(p, q);
        default -> p + q;
      };
    }
    return new Const(out, null, x.length >= y.length ? a.shape() : b.shape());
  }

  /** Integer shape arithmetic (tf.repeat multiplies a dimension by its count), with the same broadcasting. */
  private static Const integers(String op, Const a, Const b, String where) throws UnsupportedModelException {
    long[] x = a.longs();
    long[] y = b.longs();
    if (x.length != y.length && x.length != 1 && y.length != 1) {
      throw new UnsupportedModelException(where + ": " + op + " of shapes " + Arrays.toString(a.shape()) + " and "
          + Arrays.toString(b.shape()));
    }
    long[] out = new long[Math.max(x.length, y.length)];
    try {
      for (int i = 0; i < out.length; i++) {
        long p = x[x.length == 1 ? 0 : i];
        long q = y[y.length == 1 ? 0 : i];
        out[i] = switch (op) {
          case "Sub" -> Math.subtractExact(p, q);
          case "Mul" -> Math.multiplyExact(p, q);
          case "Maximum" -> Math.max(p, q);
          case "Minimum" -> Math.min(p, q);
          default -> Math.addExact(p, q);
        };
      }
    } catch (ArithmeticException e) {
      throw new UnsupportedModelException(where + ": " + op + " of integer constants overflows");
    }
    return new Const(null, out, x.length >= y.length ? a.shape() : b.shape());
  }

  private static float[] floats(Const c, String where) throws UnsupportedModelException {
    if (c.floats() == null) {
      throw new UnsupportedModelException(where + ": arithmetic on a non-float constant");
    }
    return c.floats();
  }

  private static Const reshape(Const x, long[] target, String where) throws UnsupportedModelException {
    long total = size(x.shape());
    long known = 1;
    int unknown = -1;
    long[] shape = target.clone();
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] == -1 && unknown < 0) {
        unknown = i;
      } else {
        known *= shape[i];
      }
    }
    if (unknown >= 0 && known > 0) {
      shape[unknown] = total / known;
    }
    if (size(shape) != total) {
      throw new UnsupportedModelException(where + ": reshape of " + Arrays.toString(x.shape()) + " to "
          + Arrays.toString(target));
    }
    return new Const(x.floats(), x.longs(), shape);
  }

  /** ExpandDims of a weight (Keras's Conv1D reads its kernel [k, C, F] as [1, k, C, F]). */
  private static Const expandDims(Const x, Const axis, String where) throws UnsupportedModelException {
    long[] s = x.shape();
    long[] a = axis.longs();
    long at = a == null || a.length != 1 ? -1 : a[0] < 0 ? a[0] + s.length + 1 : a[0];
    if (at < 0 || at > s.length) {
      throw new UnsupportedModelException(where + ": ExpandDims at " + (a == null ? "a non-integer axis"
          : "axis " + Arrays.toString(a)) + " of a constant of shape " + Arrays.toString(s));
    }
    long[] out = new long[s.length + 1];
    for (int i = 0, j = 0; i < out.length; i++) {
      out[i] = i == at ? 1 : s[j++];
    }
    return new Const(x.floats(), x.longs(), out);
  }

  private static Const squeeze(NodeDef n, Const x) {
    List<Long> dims = n.containsAttr("squeeze_dims") ? n.getAttrOrThrow("squeeze_dims").getList().getIList()
        : List.of();
    long[] s = x.shape();
    List<Long> kept = new ArrayList<>();
    for (int i = 0; i < s.length; i++) {
      boolean listed = dims.contains((long) i) || dims.contains((long) (i - s.length));
      if (s[i] != 1 || (!dims.isEmpty() && !listed)) {
        kept.add(s[i]);
      }
    }
    return new Const(x.floats(), x.longs(), kept.stream().mapToLong(Long::longValue).toArray());
  }

  /** Pack along axis 0 of integer scalars or vectors of one shape (what a shape computation builds). */
  private static Const pack(NodeDef n, List<Const> parts, String where) throws UnsupportedModelException {
    long axis = n.containsAttr("axis") ? n.getAttrOrThrow("axis").getI() : 0;
    if (axis != 0 || parts.stream().anyMatch(p -> p.longs() == null)
        || parts.stream().anyMatch(p -> !Arrays.equals(p.shape(), parts.get(0).shape()))) {
      throw new UnsupportedModelException(where + ": Pack is evaluated only for integer values along axis 0");
    }
    long[] out = parts.stream().flatMapToLong(p -> Arrays.stream(p.longs())).toArray();
    long[] shape = new long[parts.get(0).shape().length + 1];
    shape[0] = parts.size();
    System.arraycopy(parts.get(0).shape(), 0, shape, 1, shape.length - 1);
    return new Const(null, out, shape);
  }

  /** x[begin:end:stride] of an integer vector, with begin/end masks and shrink_axis_mask. */
  private static Const stridedSlice(NodeDef n, List<Const> c, String where) throws UnsupportedModelException {
    Const x = c.get(0);
    if (x.longs() == null || x.shape().length != 1 || c.get(1).longs().length != 1
        || mask(n, "ellipsis_mask") != 0 || mask(n, "new_axis_mask") != 0) {
      throw new UnsupportedModelException(where + ": StridedSlice is evaluated only on an integer vector");
    }
    long len = x.shape()[0];
    long stride = c.get(3).longs()[0];
    if (stride != 1) {
      throw new UnsupportedModelException(where + ": StridedSlice with stride " + stride);
    }
    long begin = (mask(n, "begin_mask") & 1) != 0 ? 0 : index(c.get(1).longs()[0], len);
    long end = (mask(n, "end_mask") & 1) != 0 ? len : index(c.get(2).longs()[0], len);
    if ((mask(n, "shrink_axis_mask") & 1) != 0) {
      if (begin < 0 || begin >= len) {
        throw new UnsupportedModelException(where + ": StridedSlice index " + begin + " out of " + len);
      }
      return new Const(null, new long[] {x.longs()[(int) begin]}, new long[0]);
    }
    long from = Math.max(0, Math.min(begin, len));
    long to = Math.max(from, Math.min(end, len));
    return new Const(null, Arrays.copyOfRange(x.longs(), (int) from, (int) to), new long[] {to - from});
  }

  /** params[indices] of an integer vector along axis 0: the dimensions a tensordot keeps or contracts. */
  private static Const gather(NodeDef n, List<Const> c, String where) throws UnsupportedModelException {
    Const params = c.get(0);
    long[] idx = c.size() == 3 ? c.get(1).longs() : null;
    long[] axis = c.size() == 3 ? c.get(2).longs() : null;
    if (params.longs() == null || params.shape().length != 1 || idx == null || axis == null || axis.length != 1
        || axis[0] != 0 || mask(n, "batch_dims") != 0) {
      throw new UnsupportedModelException(where + ": GatherV2 is evaluated only on an integer vector along axis 0");
    }
    long len = params.shape()[0];
    long[] out = new long[idx.length];
    for (int i = 0; i < idx.length; i++) {
      long j = index(idx[i], len);
      if (j < 0 || j >= len) {
        throw new UnsupportedModelException(where + ": GatherV2 index " + idx[i] + " out of " + len);
      }
      out[i] = params.longs()[(int) j];
    }
    return new Const(null, out, c.get(1).shape());
  }

  /**
   * The product of an integer vector's values: a count of elements. The batch size is unknown (-1, as {@link
   * #shapeOf} gives it), and so is any product that includes it.
   */
  private static Const prod(NodeDef n, List<Const> c, String where) throws UnsupportedModelException {
    Const x = c.get(0);
    long[] axes = c.size() == 2 ? c.get(1).longs() : null;
    if (x.longs() == null || x.shape().length != 1 || axes == null || axes.length > 1
        || (axes.length == 1 && index(axes[0], 1) != 0)) {
      throw new UnsupportedModelException(where + ": Prod is evaluated only over an integer vector");
    }
    long p = 1;
    for (long v : x.longs()) {
      if (v < 0) {
        p = -1;
        break;
      }
      p *= v;
    }
    boolean keep = n.containsAttr("keep_dims") && n.getAttrOrThrow("keep_dims").getB();
    return new Const(null, new long[] {p}, keep ? new long[] {1} : new long[0]);
  }

  /** Integer vectors joined along axis 0 (the last input is the axis). */
  private static Const concat(List<Const> c, String where) throws UnsupportedModelException {
    long[] axis = c.get(c.size() - 1).longs();
    List<Const> parts = c.subList(0, c.size() - 1);
    if (axis == null || axis.length != 1 || index(axis[0], 1) != 0
        || parts.stream().anyMatch(p -> p.longs() == null || p.shape().length != 1)) {
      throw new UnsupportedModelException(where + ": ConcatV2 is evaluated only on integer vectors along axis 0");
    }
    long[] out = parts.stream().flatMapToLong(p -> Arrays.stream(p.longs())).toArray();
    return new Const(null, out, new long[] {out.length});
  }

  static long index(long i, long len) {
    return i < 0 ? i + len : i;
  }

  static long mask(NodeDef n, String attr) {
    return n.containsAttr(attr) ? n.getAttrOrThrow(attr).getI() : 0;
  }

  private static long size(long[] shape) {
    return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
  }
}
