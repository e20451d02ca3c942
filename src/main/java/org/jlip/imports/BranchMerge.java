package org.jlip.imports;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jlip.imports.FunctionRebuilder.Act;
import org.jlip.imports.FunctionRebuilder.Const;
import org.jlip.imports.FunctionRebuilder.Val;
import org.tensorflow.proto.NodeDef;

/**
 * Joins branches of the walk into one {@link Step.Merge}: AddV2/Add and Sub of two activations (Keras's Add,
 * Average before its division, Subtract), ConcatV2 of activations on an axis after the batch (Concatenate), Maximum
 * and Minimum of two activations (Keras's Maximum and Minimum). The
 * walk lays a fork's branches out one after another: the first from the fork's position on, each next one starting
 * with a step that read the fork's activation (an empty branch is the fork's activation itself). The merge checks
 * that layout, replaces the branches' steps by the merge and continues from there.
 */
final class BranchMerge {
  static final Map<String, Step.MergeKind> KINDS = Map.of("AddV2", Step.MergeKind.ADD, "Add", Step.MergeKind.ADD,
      "Sub", Step.MergeKind.SUBTRACT, "ConcatV2", Step.MergeKind.CONCATENATE, "Maximum", Step.MergeKind.MAXIMUM,
      "Minimum", Step.MergeKind.MINIMUM);

  private BranchMerge() {}

  static List<Val> merge(FunctionRebuilder w, NodeDef n, List<Val> in, String where) throws UnsupportedModelException {
    Step.MergeKind kind = KINDS.get(n.getOp());
    List<Val> values = kind == Step.MergeKind.CONCATENATE ? in.subList(0, in.size() - 1) : in;
    List<Act> acts = new ArrayList<>();
    for (Val v : values) {
      if (!(v instanceof Act a) || a.softmax() || !w.valid(a)) {
        throw new UnsupportedModelException(where + ": merges activations with "
            + (v instanceof Act ? "an activation after a softmax or inside an earlier merge" : "a constant")
            + "; jlip merges branches of one activation");
      }
      acts.add(a);
    }
    int size = w.steps.size();
    TreeSet<Integer> ends = new TreeSet<>();
    acts.forEach(a -> ends.add(a.pos()));
    if (ends.last() != size) {
      throw new UnsupportedModelException(where + ": none of its inputs is the latest activation");
    }
    // The first end is the fork itself (an empty first branch, which then reads it as its own position) or the
    // end of the first branch, after which the second one read the fork.
    int first = ends.first();
    int fork = first == size ? size : w.inputs.get(first);
    List<List<Step>> branches = new ArrayList<>();
    for (Act a : acts) {
      Integer previous = ends.lower(a.pos());
      int start = previous == null ? fork : previous;
      for (int k = start; k < a.pos(); k++) {
        if (w.inputs.get(k) != (k == start ? fork : k)) {
          throw new UnsupportedModelException(where + ": its branches do not all start at one activation (step "
              + k + ", " + w.steps.get(k).name() + ", reads activation " + w.inputs.get(k) + "); jlip merges branches"
              + " that start at one layer and meet only at the merge");
        }
      }
      branches.add(new ArrayList<>(w.steps.subList(start, a.pos())));
    }
    int axis = -1;
    if (kind == Step.MergeKind.CONCATENATE) {
      // Any axis after the batch axis: the parts' squared norms add up whichever axis joins them.
      long[] shape = w.shapes.get(acts.get(0).pos());
      Const c = in.get(in.size() - 1) instanceof Const k ? k : null;
      long ax = c == null || c.longs() == null || c.longs().length != 1 ? 0 : c.longs()[0];
      long perSample = (ax < 0 ? ax + shape.length + 1 : ax) - 1;
      if (perSample < 0 || perSample >= shape.length) {
        throw new UnsupportedModelException(where + ": concatenates axis " + ax + " of activations of shape "
            + Arrays.toString(shape) + " after the batch axis; jlip concatenates one axis after the batch axis");
      }
      axis = (int) perSample;
    }
    w.truncate(fork);
    return w.step(new Step.Merge(n.getName(), kind, branches, axis));
  }
}
