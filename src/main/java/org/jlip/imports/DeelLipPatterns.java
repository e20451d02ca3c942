package org.jlip.imports;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jlip.layers.FullSortConfig;
import org.jlip.layers.GroupSortConfig;
import org.jlip.layers.MaxMinConfig;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;

/**
 * deel-lip's activations and L2 poolings as a SavedModel computes them. Each reads its input more than once, which
 * the walk refuses op by op as a branch, so the pattern is recognised whole at the op that ends it and becomes one
 * step on its input:
 * <ul>
 *   <li>GroupSort2: ConcatV2(Minimum(a, b), Maximum(a, b)) of the two outputs of one Split on the concat axis, or
 *       ConcatV2(Min(x), Max(x)) reduced with keep_dims over an axis of length 2 ({@link Step.HalfSort});
 *   <li>MaxMin: ConcatV2(Relu(x), Relu(Neg(x))) (jlip's MaxMin layer);
 *   <li>GroupSort(n) and FullSort: Neg(TopKV2(Neg(x), k)), TensorFlow's ascending sort along the last axis of length
 *       k (jlip's FullSort on that axis);
 *   <li>deel-lip 1.x's GroupSort(n): either sort above on the rows of Reshape(x, [-1, n]), reshaped back to Shape(x)
 *       (jlip's GroupSort(n) on the last axis, when n divides it);
 *   <li>Keras's PReLU (deel-lip's PReLUlip): Relu(x) + Mul(-alpha, Relu(Neg(x))) ({@link Step.PRelu});
 *   <li>deel-lip's Householder: the halves of a Split, kept or reflected by SelectV2 on the sign of
 *       z1 sin(theta/2) - z2 cos(theta/2), concatenated ({@link Step.Householder});
 *   <li>ScaledL2NormPooling2D: Sqrt(AvgPool(Square(x)) [+ eps]) ({@link Step.L2Pool}); ScaledGlobalL2NormPooling2D:
 *       Sqrt(Sum or Mean over H, W of Square(x) [+ eps]) ({@link Step.GlobalL2}).
 * </ul>
 * Their coefficients are the Mul by a constant after them, which the walk reads as usual. Identity ops between the
 * pattern's nodes are looked through.
 */
final class DeelLipPatterns {
  /**
   * The pattern's input (a reference in its function), a constant it reads (a reference, or null) and its step,
   * made once the input's shape and the constant's value are known.
   */
  record Match(String input, String constant, StepFactory step) {
    Match(String input, StepFactory step) {
      this(input, null, step);
    }
  }

  @FunctionalInterface
  interface StepFactory {
    /**
     * The step on an input of {@code shape} (NHWC, no batch axis), {@code constant} the value of the match's
     * constant (null without one); IllegalArgumentException if it cannot apply.
     */
    Step of(long[] shape, FunctionRebuilder.Const constant);
  }

  private static final Set<String> IDENTITIES = Set.of("Identity", "StopGradient", "Snapshot");

  private DeelLipPatterns() {}

  /** The match of node {@code n}, or null when it ends none of the patterns (the walk then treats it alone). */
  static Match match(NodeDef n, Map<String, NodeDef> nodes) {
    List<String> in = n.getInputList().stream().filter(s -> !s.startsWith("^")).toList();
    return switch (n.getOp()) {
      case "ConcatV2" -> in.size() == 3 ? concatPattern(n.getName(), in, nodes) : null;
      case "Sqrt" -> in.size() == 1 ? l2(n.getName(), in.get(0), nodes) : null;
      case "Neg" -> in.size() == 1 ? sort(n.getName(), in.get(0), nodes) : null;
      case "Add", "AddV2" -> in.size() == 2 ? prelu(n.getName(), in, nodes) : null;
      case "Reshape" -> in.size() == 2 ? groupRows(n.getName(), in, nodes) : null;
      default -> null;
    };
  }

  /** The patterns that end in a ConcatV2: GroupSort2 and MaxMin, else Householder. */
  private static Match concatPattern(String name, List<String> in, Map<String, NodeDef> nodes) {
    Match m = concat(name, in, nodes);
    return m != null ? m : householder(name, in, nodes);
  }

  private static Match concat(String name, List<String> in, Map<String, NodeDef> nodes) {
    Long axis = intScalar(nodes, in.get(2));
    NodeDef a = producer(nodes, in.get(0));
    NodeDef b = producer(nodes, in.get(1));
    if (axis == null || a == null || b == null) {
      return null;
    }
    List<String> ai = inputs(nodes, a);
    List<String> bi = inputs(nodes, b);
    if (a.getOp().equals("Minimum") && b.getOp().equals("Maximum") && ai.size() == 2 && bi.size() == 2
        && Set.copyOf(ai).equals(Set.copyOf(bi))) {
      NodeDef split = producer(nodes, ai.get(0));
      String s = ai.get(0).split(":")[0];
      boolean halves = split != null && split.getOp().equals("Split") && split.getAttrOrThrow("num_split").getI() == 2
          && Set.copyOf(ai).equals(Set.of(s + ":output:0", s + ":output:1"));
      List<String> si = halves ? inputs(nodes, split) : List.of();
      Long splitAxis = si.size() == 2 ? intScalar(nodes, si.get(0)) : null;
      if (splitAxis == null) {
        return null;
      }
      return new Match(si.get(1), (shape, c) -> {
        int k = axis(axis, shape);
        if (axis(splitAxis, shape) != k) {
          throw new IllegalArgumentException(name + ": concatenates on axis " + axis + " what was split on axis "
              + splitAxis + "; not GroupSort2");
        }
        return new Step.HalfSort(name, k);
      });
    }
    if (a.getOp().equals("Min") && b.getOp().equals("Max") && ai.size() == 2 && bi.size() == 2
        && ai.get(0).equals(bi.get(0)) && keepDims(a) && keepDims(b) && axis.equals(intScalar(nodes, ai.get(1)))
        && axis.equals(intScalar(nodes, bi.get(1)))) {
      return new Match(ai.get(0), (shape, c) -> {
        int k = axis(axis, shape);
        if (shape[k] != 2) {
          throw new IllegalArgumentException(name + ": concat(min, max) over an axis of length " + shape[k]
              + " is not a sort (only length 2 is)");
        }
        return new Step.HalfSort(name, k);
      });
    }
    if (a.getOp().equals("Relu") && b.getOp().equals("Relu") && ai.size() == 1 && bi.size() == 1) {
      NodeDef neg = producer(nodes, bi.get(0));
      List<String> ni = neg != null && neg.getOp().equals("Neg") ? inputs(nodes, neg) : List.of();
      if (ni.size() == 1 && ni.get(0).equals(ai.get(0))) {
        return new Match(ai.get(0),
            (shape, c) -> new Step.Layer(name, new MaxMinConfig(axis(axis, shape) + 1, 1.0, null)));
      }
    }
    return null;
  }

  /**
   * deel-lip 1.x's GroupSort(n): Reshape(sort(Reshape(x, [-1, n])), Shape(x)), the sort being GroupSort2's halves or
   * tf.sort of the rows. The rows hold n consecutive values of the whole batch, so they stay inside one sample, as
   * jlip's GroupSort(n) on the last axis, only when n divides that axis.
   */
  private static Match groupRows(String name, List<String> in, Map<String, NodeDef> nodes) {
    NodeDef shapeOf = producer(nodes, in.get(1));
    List<String> xi = shapeOf != null && shapeOf.getOp().equals("Shape") ? inputs(nodes, shapeOf) : List.of();
    NodeDef sorted = producer(nodes, in.get(0));
    if (xi.size() != 1 || sorted == null) {
      return null;
    }
    List<String> si = inputs(nodes, sorted);
    Match rowSort = switch (sorted.getOp()) {
      case "ConcatV2" -> si.size() == 3 ? concat(sorted.getName(), si, nodes) : null;
      case "Neg" -> si.size() == 1 ? sort(sorted.getName(), si.get(0), nodes) : null;
      default -> null;
    };
    NodeDef rows = rowSort == null ? null : producer(nodes, rowSort.input());
    List<String> ri = rows != null && rows.getOp().equals("Reshape") ? inputs(nodes, rows) : List.of();
    long[] target = ri.size() == 2 && ri.get(0).equals(xi.get(0)) ? ints(nodes, ri.get(1)) : null;
    if (target == null || target.length != 2 || target[0] != -1 || target[1] < 2) {
      return null;
    }
    long n = target[1];
    return new Match(xi.get(0), (shape, c) -> {
      // the row sort on a row of n values (no batch axis): the halves or the sort of that one axis
      rowSort.step().of(new long[] {n}, null);
      long last = shape.length == 0 ? 0 : shape[shape.length - 1];
      if (last % n != 0) {
        throw new IllegalArgumentException(name + ": sorts the values of the whole batch in rows of " + n + ", and "
            + n + " does not divide the last axis of " + Arrays.toString(shape) + ": a row would mix values of"
            + " neighbouring positions or samples");
      }
      return new Step.Layer(name, new GroupSortConfig((int) n, -1, 1.0, null));
    });
  }

  /**
   * deel-lip's Householder: ConcatV2(Select(s <= 0, z1, r1), Select(s <= 0, z2, r2)) of the halves z1, z2 of one
   * Split on the concat axis, where s = z1 sin(theta/2) - z2 cos(theta/2), r1 = z1 cos(theta) + z2 sin(theta) and
   * r2 = z1 sin(theta) - z2 cos(theta), every theta read from one weight (or s > 0 choosing the reflection).
   */
  private static Match householder(String name, List<String> in, Map<String, NodeDef> nodes) {
    Long axis = intScalar(nodes, in.get(2));
    NodeDef a = producer(nodes, in.get(0));
    NodeDef b = producer(nodes, in.get(1));
    if (axis == null || a == null || b == null || !a.getOp().equals("SelectV2") || !b.getOp().equals("SelectV2")) {
      return null;
    }
    List<String> ai = inputs(nodes, a);
    List<String> bi = inputs(nodes, b);
    NodeDef ca = producer(nodes, ai.get(0));
    NodeDef cb = producer(nodes, bi.get(0));
    if (ai.size() != 3 || bi.size() != 3 || ca == null || cb == null || !ca.getOp().equals(cb.getOp())) {
      return null;
    }
    // which branch keeps the pair: the true one for s <= 0, the false one for s > 0
    int keep = switch (ca.getOp()) {
      case "LessEqual", "Less" -> 1;
      case "Greater", "GreaterEqual" -> 2;
      default -> 0;
    };
    List<String> cai = inputs(nodes, ca);
    List<String> cbi = inputs(nodes, cb);
    Float zero = Float.valueOf(0f);
    if (keep == 0 || cai.size() != 2 || cbi.size() != 2 || !cai.get(0).equals(cbi.get(0))
        || !zero.equals(floatScalar(nodes, cai.get(1))) || !zero.equals(floatScalar(nodes, cbi.get(1)))) {
      return null;
    }
    String z1 = ai.get(keep);
    String z2 = bi.get(keep);
    String split = z1.split(":")[0];
    NodeDef sp = nodes.get(split);
    List<String> si = sp != null && sp.getOp().equals("Split") ? inputs(nodes, sp) : List.of();
    if (si.size() != 2 || sp.getAttrOrThrow("num_split").getI() != 2 || !z1.equals(split + ":output:0")
        || !z2.equals(split + ":output:1") || !axis.equals(intScalar(nodes, si.get(0)))) {
      return null;
    }
    // every theta, and the half angle's, by the weight it reads
    String[] theta = new String[1];
    java.util.function.Predicate<String> isTheta = ref -> {
      String key = weightKey(nodes, ref);
      if (key == null || (theta[0] != null && !theta[0].equals(key))) {
        return false;
      }
      theta[0] = key;
      return true;
    };
    java.util.function.Predicate<String> isHalf = ref -> {
      NodeDef h = producer(nodes, ref);
      List<String> hi = h == null ? List.of() : inputs(nodes, h);
      if (hi.size() != 2) {
        return false;
      }
      Float half = Float.valueOf(0.5f);
      return h.getOp().equals("Mul") && (half.equals(floatScalar(nodes, hi.get(0))) && isTheta.test(hi.get(1))
          || half.equals(floatScalar(nodes, hi.get(1))) && isTheta.test(hi.get(0)))
          || h.getOp().equals("RealDiv") && Float.valueOf(2f).equals(floatScalar(nodes, hi.get(1)))
          && isTheta.test(hi.get(0));
    };
    String[] r1 = twoTerms(nodes, ai.get(3 - keep), Set.of("AddV2", "Add"), z1, z2);
    String thetaRef = r1 == null ? null : trigArgument(nodes, r1[0], "Cos");
    boolean ok = thetaRef != null
        && isTrigOf(nodes, twoTerms(nodes, cai.get(0), Set.of("Sub"), z1, z2), "Sin", "Cos", isHalf)
        && isTrigOf(nodes, r1, "Cos", "Sin", isTheta)
        && isTrigOf(nodes, twoTerms(nodes, bi.get(3 - keep), Set.of("Sub"), z1, z2), "Sin", "Cos", isTheta);
    if (!ok) {
      return null;
    }
    return new Match(si.get(1), thetaRef, (shape, c) -> {
      int k = axis(axis, shape);
      if (k != shape.length - 1 || c == null || c.floats() == null || c.shape().length != 1
          || 2 * c.floats().length != shape[k]) {
        throw new IllegalArgumentException(name + ": a Householder activation needs one angle per pair of the last"
            + " axis, split in halves; got angles of shape " + (c == null ? "?" : Arrays.toString(c.shape()))
            + " on " + Arrays.toString(shape) + " split on axis " + axis);
      }
      return new Step.Householder(name, c.floats(), k);
    });
  }

  /**
   * The factors {p, q} of Op(Mul(z1, p), Mul(z2, q)), Op one of {@code ops}, either order within each Mul and, for
   * a sum, of its terms; null when {@code ref} is not that.
   */
  private static String[] twoTerms(Map<String, NodeDef> nodes, String ref, Set<String> ops, String z1, String z2) {
    NodeDef n = producer(nodes, ref);
    List<String> ni = n == null ? List.of() : inputs(nodes, n);
    if (n == null || ni.size() != 2 || !ops.contains(n.getOp())) {
      return null;
    }
    String p = mulFactor(nodes, ni.get(0), z1);
    String q = mulFactor(nodes, ni.get(1), z2);
    if ((p == null || q == null) && !n.getOp().equals("Sub")) {
      p = mulFactor(nodes, ni.get(1), z1);
      q = mulFactor(nodes, ni.get(0), z2);
    }
    return p == null || q == null ? null : new String[] {p, q};
  }

  /** Whether {@code terms} is {fp(arg), fq(arg)}, fp and fq trigonometric ops, each arg accepted by {@code arg}. */
  private static boolean isTrigOf(Map<String, NodeDef> nodes, String[] terms, String fp, String fq,
      java.util.function.Predicate<String> arg) {
    if (terms == null) {
      return false;
    }
    String p = trigArgument(nodes, terms[0], fp);
    String q = trigArgument(nodes, terms[1], fq);
    return p != null && q != null && arg.test(p) && arg.test(q);
  }

  /** The other factor of Mul(z, f) or Mul(f, z), or null. */
  private static String mulFactor(Map<String, NodeDef> nodes, String ref, String z) {
    NodeDef n = ref == null ? null : producer(nodes, ref);
    List<String> ni = n != null && n.getOp().equals("Mul") ? inputs(nodes, n) : List.of();
    if (ni.size() != 2) {
      return null;
    }
    return ni.get(0).equals(z) ? ni.get(1) : ni.get(1).equals(z) ? ni.get(0) : null;
  }

  private static String trigArgument(Map<String, NodeDef> nodes, String ref, String op) {
    NodeDef n = ref == null ? null : producer(nodes, ref);
    List<String> ni = n != null && n.getOp().equals(op) ? inputs(nodes, n) : List.of();
    return ni.size() == 1 ? ni.get(0) : null;
  }

  /** What a weight read is of: the variable a ReadVariableOp reads, or the Const itself; null for anything else. */
  private static String weightKey(Map<String, NodeDef> nodes, String ref) {
    NodeDef n = producer(nodes, ref);
    if (n == null) {
      return null;
    }
    if (n.getOp().equals("ReadVariableOp") && n.getInputCount() == 1) {
      return "variable " + resolve(nodes, n.getInput(0));
    }
    return n.getOp().equals("Const") ? "const " + n.getName() : null;
  }

  private static Match prelu(String name, List<String> in, Map<String, NodeDef> nodes) {
    for (int first = 0; first < 2; first++) {
      NodeDef relu = producer(nodes, in.get(first));
      NodeDef mul = producer(nodes, in.get(1 - first));
      if (relu == null || mul == null || !relu.getOp().equals("Relu") || !mul.getOp().equals("Mul")) {
        continue;
      }
      List<String> ri = inputs(nodes, relu);
      List<String> mi = inputs(nodes, mul);
      for (int r = 0; r < 2 && ri.size() == 1 && mi.size() == 2; r++) {
        NodeDef negRelu = producer(nodes, mi.get(r));
        NodeDef neg = negRelu != null && negRelu.getOp().equals("Relu")
            ? producer(nodes, inputs(nodes, negRelu).get(0)) : null;
        if (neg != null && neg.getOp().equals("Neg") && inputs(nodes, neg).equals(ri)) {
          return new Match(ri.get(0), mi.get(1 - r), (shape, c) -> {
            if (c == null || c.floats() == null || c.shape().length > shape.length) {
              throw new IllegalArgumentException(name + ": a PReLU's slope must be a float weight of at most the"
                  + " input's rank");
            }
            long[] alphaShape = new long[shape.length];
            Arrays.fill(alphaShape, 1);
            System.arraycopy(c.shape(), 0, alphaShape, shape.length - c.shape().length, c.shape().length);
            float[] alpha = new float[c.floats().length];
            for (int i = 0; i < alpha.length; i++) {
              alpha[i] = -c.floats()[i];
            }
            return new Step.PRelu(name, alpha, alphaShape);
          });
        }
      }
    }
    return null;
  }

  private static Match sort(String name, String ref, Map<String, NodeDef> nodes) {
    String values = resolve(nodes, ref);
    NodeDef topk = producer(nodes, values);
    if (topk == null || !topk.getOp().equals("TopKV2") || !values.endsWith(":values:0")
        || (topk.containsAttr("sorted") && !topk.getAttrOrThrow("sorted").getB())) {
      return null;
    }
    List<String> ti = inputs(nodes, topk);
    NodeDef neg = ti.size() == 2 ? producer(nodes, ti.get(0)) : null;
    List<String> ni = neg != null && neg.getOp().equals("Neg") ? inputs(nodes, neg) : List.of();
    if (ni.size() != 1) {
      return null;
    }
    // tf.sort takes k = tf.shape(x)[-1], a StridedSlice of the Shape of TopKV2's own input: the whole last axis.
    Long k = lastDimOf(nodes, ti.get(1), ti.get(0)) ? Long.valueOf(-1) : intScalar(nodes, ti.get(1));
    if (k == null) {
      return null;
    }
    return new Match(ni.get(0), (shape, c) -> {
      if (shape.length == 0 || (k != -1 && shape[shape.length - 1] != k)) {
        throw new IllegalArgumentException(name + ": TopKV2 keeps " + k + " of the " + Arrays.toString(shape)
            + " values' last axis: not a sort of that axis");
      }
      return new Step.Layer(name, new FullSortConfig(-1, 1.0, null));
    });
  }

  private static Match l2(String name, String ref, Map<String, NodeDef> nodes) {
    NodeDef v = producer(nodes, ref);
    float eps = 0;
    if (v != null && (v.getOp().equals("Add") || v.getOp().equals("AddV2"))) {
      List<String> vi = inputs(nodes, v);
      Float e0 = vi.size() == 2 ? floatScalar(nodes, vi.get(0)) : null;
      Float e1 = vi.size() == 2 ? floatScalar(nodes, vi.get(1)) : null;
      Float e = e1 != null ? e1 : e0;
      if (e == null || !(e >= 0) || e.isInfinite()) {
        return null;
      }
      eps = e;
      v = producer(nodes, vi.get(e1 != null ? 0 : 1));
    }
    if (v == null) {
      return null;
    }
    List<String> vi = inputs(nodes, v);
    NodeDef square = vi.isEmpty() ? null : producer(nodes, vi.get(0));
    List<String> qi = square != null && square.getOp().equals("Square") ? inputs(nodes, square) : List.of();
    if (qi.size() != 1) {
      return null;
    }
    float e = eps;
    if (v.getOp().equals("AvgPool") && nhwc(v)) {
      long[] k = ints(v, "ksize");
      long[] s = ints(v, "strides");
      String p = v.getAttrOrThrow("padding").getS().toStringUtf8();
      if (k.length != 4 || s.length != 4 || k[0] != 1 || k[3] != 1 || s[0] != 1 || s[3] != 1
          || !(p.equals("SAME") || p.equals("VALID"))) {
        return null;
      }
      return new Match(qi.get(0), (shape, c) -> new Step.L2Pool(name, (int) k[1], (int) k[2], (int) s[1], (int) s[2],
          p.toLowerCase(java.util.Locale.ROOT), e));
    }
    if ((v.getOp().equals("Sum") || v.getOp().equals("Mean")) && vi.size() == 2 && !keepDims(v)) {
      long[] axes = ints(nodes, vi.get(1));
      boolean mean = v.getOp().equals("Mean");
      return axes == null ? null : new Match(qi.get(0), (shape, c) -> {
        long[] sorted = Arrays.stream(axes).map(x -> x < 0 ? x + shape.length + 1 : x).sorted().toArray();
        if (shape.length != 3 || !Arrays.equals(sorted, new long[] {1, 2})) {
          throw new IllegalArgumentException(name + ": an L2 norm over axes " + Arrays.toString(axes) + " of "
              + Arrays.toString(shape) + "; only over H and W of an image");
        }
        return new Step.GlobalL2(name, mean, e);
      });
    }
    return null;
  }

  /** Whether {@code ref} is StridedSlice(Shape(of), [-1], ...) with shrink_axis_mask 1: the last dimension of of. */
  private static boolean lastDimOf(Map<String, NodeDef> nodes, String ref, String of) {
    NodeDef slice = producer(nodes, ref);
    if (slice == null || !slice.getOp().equals("StridedSlice") || !slice.containsAttr("shrink_axis_mask")
        || slice.getAttrOrThrow("shrink_axis_mask").getI() != 1) {
      return false;
    }
    List<String> si = inputs(nodes, slice);
    NodeDef shape = si.size() == 4 ? producer(nodes, si.get(0)) : null;
    long[] begin = si.size() == 4 ? ints(nodes, si.get(1)) : null;
    return shape != null && shape.getOp().equals("Shape") && inputs(nodes, shape).equals(List.of(resolve(nodes, of)))
        && begin != null && begin.length == 1 && begin[0] == -1;
  }

  /** A concat/split/reduce axis of the full NHWC tensor as an index into the shape without batch. */
  private static int axis(long axis, long[] shape) {
    long a = axis < 0 ? axis + shape.length + 1 : axis;
    if (a < 1 || a > shape.length) {
      throw new IllegalArgumentException("axis " + axis + " of an input " + Arrays.toString(shape)
          + " (without batch) is not a feature axis");
    }
    return (int) a - 1;
  }

  /** {@code ref} with Identity ops (and IdentityN's matching output) looked through. */
  private static String resolve(Map<String, NodeDef> nodes, String ref) {
    for (int guard = 0; guard < 64; guard++) {
      String[] parts = ref.split(":");
      NodeDef n = nodes.get(parts[0]);
      if (n == null) {
        return ref;
      }
      if (IDENTITIES.contains(n.getOp()) && n.getInputCount() > 0) {
        ref = n.getInput(0);
      } else if (n.getOp().equals("IdentityN") && parts.length == 3) {
        int i = Integer.parseInt(parts[2]);
        if (i >= n.getInputCount()) {
          return ref;
        }
        ref = n.getInput(i);
      } else {
        return ref;
      }
    }
    return ref;
  }

  private static NodeDef producer(Map<String, NodeDef> nodes, String ref) {
    return nodes.get(resolve(nodes, ref).split(":")[0]);
  }

  /** The node's data inputs, each resolved through identities. */
  private static List<String> inputs(Map<String, NodeDef> nodes, NodeDef n) {
    return n.getInputList().stream().filter(s -> !s.startsWith("^")).map(s -> resolve(nodes, s)).toList();
  }

  private static boolean keepDims(NodeDef n) {
    return n.containsAttr("keep_dims") && n.getAttrOrThrow("keep_dims").getB();
  }

  private static boolean nhwc(NodeDef n) {
    return !n.containsAttr("data_format") || n.getAttrOrThrow("data_format").getS().toStringUtf8().equals("NHWC");
  }

  private static long[] ints(NodeDef n, String attr) {
    return n.getAttrOrThrow(attr).getList().getIList().stream().mapToLong(Long::longValue).toArray();
  }

  /** The values of an integer Const (scalar or vector), or null. */
  private static long[] ints(Map<String, NodeDef> nodes, String ref) {
    NodeDef n = producer(nodes, ref);
    if (n == null || !n.getOp().equals("Const") || !n.containsAttr("value")) {
      return null;
    }
    var t = n.getAttrOrThrow("value").getTensor();
    return t.getDtype() == DataType.DT_INT32 || t.getDtype() == DataType.DT_INT64 ? TensorProtos.longs(t) : null;
  }

  private static Long intScalar(Map<String, NodeDef> nodes, String ref) {
    long[] v = ints(nodes, ref);
    return v != null && v.length == 1 ? v[0] : null;
  }

  private static Float floatScalar(Map<String, NodeDef> nodes, String ref) {
    NodeDef n = producer(nodes, ref);
    if (n == null || !n.getOp().equals("Const") || !n.containsAttr("value")) {
      return null;
    }
    var t = n.getAttrOrThrow("value").getTensor();
    if (t.getDtype() != DataType.DT_FLOAT || TensorProtos.count(TensorProtos.shape(t.getTensorShape())) != 1) {
      return null;
    }
    return TensorProtos.floats(t)[0];
  }
}
