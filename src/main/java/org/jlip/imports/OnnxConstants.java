package org.jlip.imports;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.jlip.imports.OnnxFile.Node;
import org.jlip.imports.OnnxTranslator.Activation;
import org.jlip.imports.OnnxTranslator.Constant;
import org.jlip.imports.OnnxTranslator.Value;

/**
 * The shape arithmetic of exported ONNX graphs, evaluated on constants: {@code x.view(x.size(0), -1)} becomes Shape,
 * Gather, Unsqueeze, Concat and Reshape; F.interpolate concatenates its scales. An activation's Shape gives its ONNX
 * dims with -1 for the batch size. Only scalars and 1-D constants are combined, which is all shapes need.
 */
final class OnnxConstants {
  private OnnxConstants() {}

  static Constant fold(String where, Node n, List<Value> in, OnnxTranslator t) throws IOException {
    switch (n.opType()) {
      case "Shape": {
        long[] dims = in.get(0) instanceof Activation a ? activationDims(a) : ((Constant) in.get(0)).dims();
        long start = clamp(t.attrI(n, "start", 0), dims.length);
        long end = clamp(t.attrI(n, "end", dims.length), dims.length);
        long[] s = Arrays.copyOfRange(dims, (int) start, (int) Math.max(start, end));
        return new Constant(new long[] {s.length}, null, s);
      }
      case "Gather": {
        Constant data = vector(where, in.get(0));
        Constant idx = (Constant) in.get(1);
        long size = data.floats() != null ? data.floats().length : data.longs().length;
        if (t.attrI(n, "axis", 0) != 0 || idx.longs() == null || idx.dims().length > 1) {
          throw new UnsupportedModelException(where + ": jlip evaluates a Gather of a vector by integer indices");
        }
        long[] at = idx.longs().clone();
        for (int i = 0; i < at.length; i++) {
          at[i] = at[i] < 0 ? at[i] + size : at[i];
          if (at[i] < 0 || at[i] >= size) {
            throw new UnsupportedModelException(where + ": index " + idx.longs()[i] + " of a vector of " + size);
          }
        }
        float[] f = data.floats() == null ? null : new float[at.length];
        long[] l = data.longs() == null ? null : new long[at.length];
        for (int i = 0; i < at.length; i++) {
          if (f != null) {
            f[i] = data.floats()[(int) at[i]];
          } else {
            l[i] = data.longs()[(int) at[i]];
          }
        }
        return new Constant(idx.dims().clone(), f, l);
      }
      case "Unsqueeze", "Squeeze": {
        Constant c = (Constant) in.get(0);
        long count = c.floats() != null ? c.floats().length : c.longs().length;
        if (count > 1 && c.dims().length > 1) {
          throw new UnsupportedModelException(where + ": jlip evaluates it on scalars and vectors");
        }
        long[] dims = n.opType().equals("Unsqueeze") ? new long[] {count} : count == 1 ? new long[0]
            : new long[] {count};
        return new Constant(dims, c.floats(), c.longs());
      }
      case "Concat": {
        int total = 0;
        int floats = 0;
        for (Value v : in) {
          Constant c = vector(where, v);
          total += c.floats() != null ? c.floats().length : c.longs().length;
          floats += c.floats() != null ? 1 : 0;
        }
        if (floats != 0 && floats != in.size()) {
          throw new UnsupportedModelException(where + ": a Concat of float and integer constants");
        }
        float[] f = floats > 0 ? new float[total] : null;
        long[] l = floats > 0 ? null : new long[total];
        int k = 0;
        for (Value v : in) {
          Constant c = (Constant) v;
          int len = f != null ? c.floats().length : c.longs().length;
          System.arraycopy(f != null ? c.floats() : c.longs(), 0, f != null ? f : l, k, len);
          k += len;
        }
        return new Constant(new long[] {total}, f, l);
      }
      case "Reshape": {
        // The same values under other dims (PyTorch reshapes TopK's k to [1]); one -1 takes the rest.
        Constant c = (Constant) in.get(0);
        long[] target = ((Constant) in.get(1)).longs();
        long count = c.floats() != null ? c.floats().length : c.longs().length;
        long known = target == null ? 0 : Arrays.stream(target).filter(v -> v > 0).reduce(1, (p, q) -> p * q);
        long[] dims = target == null ? null : Arrays.stream(target).map(v -> v == -1 && known > 0 ? count / known : v)
            .toArray();
        if (dims == null || Arrays.stream(dims).anyMatch(v -> v < 0)
            || Arrays.stream(dims).reduce(1, (p, q) -> p * q) != count) {
          throw new UnsupportedModelException(where + ": reshapes a constant of " + count + " values to "
              + Arrays.toString(target));
        }
        return new Constant(dims, c.floats(), c.longs());
      }
      case "Cast": {
        Constant c = (Constant) in.get(0);
        long to = t.attrI(n, "to", 0);
        if (to == OnnxFile.FLOAT) {
          return c.floats() != null ? c : new Constant(c.dims(), toFloats(c.longs()), null);
        }
        if (to == OnnxFile.INT64 || to == OnnxFile.INT32) {
          return c.longs() != null ? c : new Constant(c.dims(), null, toLongs(c.floats()));
        }
        throw new UnsupportedModelException(where + ": a cast to ONNX type " + to);
      }
      default:
        return arithmetic(where, n.opType(), (Constant) in.get(0), (Constant) in.get(1));
    }
  }

  /**
   * A slice along the first axis of a constant, with ONNX's clamping (PyTorch slices Shape(x) to keep N and C of an
   * image's size, and reverses the rows of its pads, step -1, to turn F.pad's order into ONNX's).
   */
  static Constant slice(String where, Constant c, long[] starts, long[] ends, long[] axes, long[] steps)
      throws IOException {
    long count = c.floats() != null ? c.floats().length : c.longs() != null ? c.longs().length : -1;
    boolean ok = c.dims().length >= 1 && starts != null && ends != null && starts.length == 1 && ends.length == 1
        && (axes == null || axes.length == 1 && (axes[0] == 0 || axes[0] == -c.dims().length))
        && (steps == null || steps.length == 1 && steps[0] != 0);
    if (!ok || count < 0) {
      throw new UnsupportedModelException(where + ": jlip evaluates a slice of a constant along its first axis");
    }
    int rows = (int) c.dims()[0];
    int width = rows == 0 ? 0 : (int) (count / rows);
    long step = steps == null ? 1 : steps[0];
    long from = starts[0] < 0 ? Math.max(starts[0], -rows) + rows : starts[0];
    long to = ends[0] < 0 ? Math.max(ends[0], -rows - 1L) + rows : ends[0];
    from = step > 0 ? Math.min(from, rows) : Math.min(from, rows - 1L);
    to = step > 0 ? Math.min(to, rows) : Math.min(to, rows - 1L);
    List<Integer> taken = new java.util.ArrayList<>();
    for (long i = from; step > 0 ? i < to : i > to; i += step) {
      taken.add((int) i);
    }
    float[] f = c.floats() == null ? null : new float[taken.size() * width];
    long[] l = c.longs() == null ? null : new long[taken.size() * width];
    for (int k = 0; k < taken.size(); k++) {
      System.arraycopy(f != null ? c.floats() : c.longs(), taken.get(k) * width, f != null ? f : l, k * width, width);
    }
    long[] dims = c.dims().clone();
    dims[0] = taken.size();
    return new Constant(dims, f, l);
  }

  /** ConstantOfShape: a constant of the given dims (a vector of them) filled with the node's value (default 0). */
  static Constant constantOfShape(String where, Constant shape, Constant value) throws IOException {
    long[] dims = shape.longs();
    long count = dims == null ? -1 : 1;
    for (int i = 0; dims != null && i < dims.length && count >= 0; i++) {
      count = dims[i] < 0 || count * Math.max(dims[i], 1) > 1 << 20 ? -1 : count * dims[i];
    }
    int values = value == null ? 1 : value.floats() != null ? value.floats().length : value.longs().length;
    if (count < 0 || shape.dims().length > 1 || values != 1) {
      throw new UnsupportedModelException(where + ": ConstantOfShape of " + Arrays.toString(dims) + " (jlip fills at"
          + " most 2^20 values with one value)");
    }
    if (value == null || value.floats() != null) {
      float[] f = new float[(int) count];
      Arrays.fill(f, value == null ? 0f : value.floats()[0]);
      return new Constant(dims.clone(), f, null);
    }
    long[] l = new long[(int) count];
    Arrays.fill(l, value.longs()[0]);
    return new Constant(dims.clone(), null, l);
  }

  /** The transpose of a 2-D constant (PyTorch turns its [pairs, 2] pads into [2, pairs]). */
  static Constant transpose(String where, Constant c, long[] perm) throws UnsupportedModelException {
    if (c.dims().length != 2 || perm == null || !Arrays.equals(perm, new long[] {1, 0})) {
      throw new UnsupportedModelException(where + ": a transpose " + Arrays.toString(perm) + " of a constant of dims "
          + Arrays.toString(c.dims()) + " (jlip evaluates 2-D ones)");
    }
    int r = (int) c.dims()[0];
    int k = (int) c.dims()[1];
    float[] f = c.floats() == null ? null : new float[r * k];
    long[] l = c.longs() == null ? null : new long[r * k];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < k; j++) {
        if (f != null) {
          f[j * r + i] = c.floats()[i * k + j];
        } else {
          l[j * r + i] = c.longs()[i * k + j];
        }
      }
    }
    return new Constant(new long[] {k, r}, f, l);
  }

  private static Constant arithmetic(String where, String op, Constant a, Constant b) throws IOException {
    int na = a.floats() != null ? a.floats().length : a.longs().length;
    int nb = b.floats() != null ? b.floats().length : b.longs().length;
    if (na != nb && na != 1 && nb != 1) {
      throw new UnsupportedModelException(where + ": " + op + " of constants of dims " + Arrays.toString(a.dims())
          + " and " + Arrays.toString(b.dims()));
    }
    long[] dims = na >= nb ? a.dims() : b.dims();
    int n = Math.max(na, nb);
    if (a.longs() != null && b.longs() != null) {
      long[] out = new long[n];
      try {
        for (int i = 0; i < n; i++) {
          long x = a.longs()[na == 1 ? 0 : i];
          long y = b.longs()[nb == 1 ? 0 : i];
          out[i] = switch (op) {
            case "Mul" -> Math.multiplyExact(x, y);
            case "Sub" -> Math.subtractExact(x, y);
            case "Div" -> y == 0 ? fail(where) : x / y;
            default -> Math.addExact(x, y);
          };
        }
      } catch (ArithmeticException e) {
        throw new UnsupportedModelException(where + ": integer overflow");
      }
      return new Constant(dims, null, out);
    }
    float[] x = a.floats() != null ? a.floats() : toFloats(a.longs());
    float[] y = b.floats() != null ? b.floats() : toFloats(b.longs());
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      float p = x[na == 1 ? 0 : i];
      float q = y[nb == 1 ? 0 : i];
      out[i] = switch (op) {
        case "Mul" -> p * q;
        case "Sub" -> p - q;
        case "Div" -> p / q;
        default -> p + q;
      };
    }
    return new Constant(dims, out, null);
  }

  private static long fail(String where) throws UnsupportedModelException {
    throw new UnsupportedModelException(where + ": integer division by zero");
  }

  /** [-1, C, H, W] for an image (held NHWC here), [-1, dims...] otherwise. */
  private static long[] activationDims(Activation a) {
    long[] s = a.shape();
    long[] onnx = a.image() ? new long[] {s[2], s[0], s[1]} : s;
    long[] out = new long[onnx.length + 1];
    out[0] = -1;
    System.arraycopy(onnx, 0, out, 1, onnx.length);
    return out;
  }

  private static Constant vector(String where, Value v) throws UnsupportedModelException {
    if (!(v instanceof Constant c) || c.dims().length > 1) {
      throw new UnsupportedModelException(where + ": jlip evaluates it on scalar and vector constants");
    }
    return c;
  }

  private static long clamp(long i, int n) {
    return Math.max(0, Math.min(n, i < 0 ? i + n : i));
  }

  private static float[] toFloats(long[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = v[i];
    }
    return f;
  }

  private static long[] toLongs(float[] v) {
    long[] l = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      l[i] = (long) v[i];
    }
    return l;
  }
}
