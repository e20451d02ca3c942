package org.jlip.imports;

import java.util.Arrays;
import java.util.List;
import org.jlip.imports.FunctionRebuilder.Act;
import org.jlip.imports.FunctionRebuilder.Const;
import org.jlip.imports.FunctionRebuilder.Rows;
import org.jlip.imports.FunctionRebuilder.Val;
import org.tensorflow.proto.NodeDef;

/**
 * TensorFlow's tensordot over the last axis, which is how Keras writes a Dense layer on an image or a sequence: the
 * activation [batch, free..., C] is reshaped to rows [batch * prod(free), C], multiplied by the kernel [C, U] and
 * reshaped back to [batch, free..., U]. The rows mix samples, so jlip never builds them: the MatMul becomes a 1x1
 * convolution on each sample (bounded by the kernel's spectral norm, exactly), and the two reshapes vanish.
 */
final class TensordotRows {
  private TensordotRows() {}

  /**
   * Whether reshaping an activation of per-sample shape {@code shape} to {@code target} (batch axis included)
   * makes the rows of a tensordot: [-1, C] with C the last axis, from a sample of more than C values.
   */
  static boolean mergesBatch(long[] target, long[] shape) {
    if (target == null || target.length != 2 || target[0] != -1 || shape.length < 2) {
      return false;
    }
    long last = shape[shape.length - 1];
    return target[1] == last && Arrays.stream(shape).reduce(1, (a, b) -> a * b) != last;
  }

  /** The rows of {@code a}, which the walk has just checked to be the activation the next step reads. */
  static Rows rows(FunctionRebuilder w, Act a, String where) throws UnsupportedModelException {
    if (w.shape.length < 2) {
      throw new UnsupportedModelException(where + ": rows of a flat activation");
    }
    return new Rows(a, Arrays.copyOf(w.shape, w.shape.length - 1));
  }

  /** An op that reads rows: the kernel's MatMul, a bias, or the reshape back; anything else is refused. */
  static List<Val> apply(FunctionRebuilder w, NodeDef n, List<Val> in, String where)
      throws UnsupportedModelException {
    if (!(in.get(0) instanceof Rows r) || in.subList(1, in.size()).stream().anyMatch(v -> !(v instanceof Const))) {
      throw refused(where);
    }
    OpRules.requireCurrent(w, r.act(), where);
    Const c = in.size() > 1 ? (Const) in.get(1) : null;
    switch (n.getOp()) {
      case "MatMul" -> {
        if (OpRules.flag(n, "transpose_a") || OpRules.flag(n, "transpose_b") || c == null || c.shape().length != 2
            || c.floats() == null) {
          throw new UnsupportedModelException(where + ": a tensordot's MatMul by something other than a kernel"
              + " [channels, units]");
        }
        return List.of(new Rows(conv1x1(w, n.getName(), c, where), r.free()));
      }
      case "BiasAdd", "Add", "AddV2" -> {
        if (c == null || c.floats() == null || c.shape().length != 1) {
          throw refused(where);
        }
        w.step(new Step.Bias(n.getName(), c.floats()));
        return List.of(new Rows(w.current(false), r.free()));
      }
      case "Reshape" -> {
        long[] t = c == null ? null : c.longs();
        long[] back = new long[r.free().length + 2];
        back[0] = -1;
        System.arraycopy(r.free(), 0, back, 1, r.free().length);
        back[back.length - 1] = w.shape[w.shape.length - 1];
        if (!Arrays.equals(t, back)) {
          throw new UnsupportedModelException(where + ": reshapes a tensordot's rows to " + Arrays.toString(t)
              + ", not back to " + Arrays.toString(back) + " (the batch, the kept axes and the units)");
        }
        return List.of(r.act());
      }
      default -> throw refused(where);
    }
  }

  /** x W on the last axis of each sample: a 1x1 convolution, on [1, positions, C] unless the sample is an image. */
  private static Act conv1x1(FunctionRebuilder w, String name, Const kernel, String where)
      throws UnsupportedModelException {
    long[] in = w.shape;
    int c = (int) in[in.length - 1];
    int units = (int) kernel.shape()[1];
    if (kernel.shape()[0] != c) {
      throw new UnsupportedModelException(where + ": kernel " + Arrays.toString(kernel.shape()) + " on rows of "
          + c + " values");
    }
    boolean image = in.length == 3;
    long positions = Arrays.stream(in).reduce(1, (a, b) -> a * b) / c;
    if (!image) {
      w.step(new Step.Reshape(name + "/as_image", new long[] {1, positions, c}));
    }
    w.step(new Step.Conv(name, kernel.floats(), 1, 1, c, units, 1, 1, "valid", Double.POSITIVE_INFINITY));
    if (!image) {
      long[] out = in.clone();
      out[out.length - 1] = units;
      w.step(new Step.Reshape(name + "/back", out));
    }
    return w.current(false);
  }

  private static UnsupportedModelException refused(String where) {
    return new UnsupportedModelException(where + ": reads a tensordot's rows (an activation reshaped to [batch *"
        + " positions, channels]); jlip reads them only through a MatMul by a kernel, a bias and the reshape back");
  }
}
