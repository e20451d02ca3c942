package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.jlip.imports.FunctionRebuilder.Act;
import org.jlip.imports.FunctionRebuilder.Val;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.NodeDef;

/**
 * The walk's branch layout and its merges on synthetic steps: a shortcut, a projection shortcut, and the layouts
 * that are no merge of branches from one activation.
 */
class BranchMergeTest {
  private static final NodeDef ADD = NodeDef.newBuilder().setOp("AddV2").setName("add").build();

  private static FunctionRebuilder walk() {
    return new FunctionRebuilder(Map.of(), v -> null, new long[] {3});
  }

  private static Act step(FunctionRebuilder w, String name) throws Exception {
    return (Act) w.step(new Step.Bias(name, new float[] {1, 2, 3})).get(0);
  }

  /** The next step reads {@code a}, as an op of a second branch does (through OpRules' activation check). */
  private static Act branch(FunctionRebuilder w, Act a, String name) throws Exception {
    OpRules.requireCurrent(w, a, name);
    return step(w, name);
  }

  @Test
  void aShortcutAndABlockBecomeOneMerge() throws Exception {
    FunctionRebuilder w = walk();
    Act x = step(w, "stem");
    Act y = step(w, "b1");
    Act z = step(w, "b2");
    List<Val> out = BranchMerge.merge(w, ADD, List.of(x, z), "add");
    assertEquals(2, w.steps.size());
    Step.Merge m = assertInstanceOf(Step.Merge.class, w.steps.get(1));
    assertEquals(List.of(0, 2), m.branches().stream().map(List::size).toList());
    assertEquals(2, ((Act) out.get(0)).pos());
    assertTrue(!w.valid(y), "an activation inside the merged block is gone");
    var e = assertThrows(UnsupportedModelException.class, () -> OpRules.requireCurrent(w, y, "late read"));
    assertTrue(e.getMessage().contains("already joined"), e.getMessage());
    w.requireChain();
  }

  @Test
  void aProjectionShortcutIsTheFirstBranch() throws Exception {
    FunctionRebuilder w = walk();
    Act x = step(w, "stem");
    Act p = step(w, "proj");
    branch(w, x, "q1");
    Act q = step(w, "q2");
    BranchMerge.merge(w, ADD, List.of(p, q), "add");
    Step.Merge m = (Step.Merge) w.steps.get(1);
    assertEquals(List.of("proj"), m.branches().get(0).stream().map(Step::name).toList());
    assertEquals(List.of("q1", "q2"), m.branches().get(1).stream().map(Step::name).toList());
    assertEquals(List.of(0, 1), w.inputs);
  }

  @Test
  void branchesFromDifferentActivationsAreRefused() throws Exception {
    // a, b; c branches from a's output and d from the input: c and d do not start at one activation.
    FunctionRebuilder w = walk();
    Act a = step(w, "a");
    step(w, "b");
    Act c = branch(w, a, "c");
    Act d = branch(w, new Act(0, false, 0), "d");
    var e = assertThrows(UnsupportedModelException.class, () -> BranchMerge.merge(w, ADD, List.of(c, d), "add"));
    assertTrue(e.getMessage().contains("do not all start at one activation (step 2, c, reads activation 1)"),
        e.getMessage());
  }

  @Test
  void twoBranchesFromTheInputAreOneMerge() throws Exception {
    FunctionRebuilder w = walk();
    step(w, "a");
    Act b = step(w, "b");
    Act d = branch(w, new Act(0, false, 0), "c");
    d = step(w, "d");
    BranchMerge.merge(w, ADD, List.of(b, d), "add");
    assertEquals(1, w.steps.size());
    assertEquals(List.of(List.of("a", "b"), List.of("c", "d")), ((Step.Merge) w.steps.get(0)).branches().stream()
        .map(br -> br.stream().map(Step::name).toList()).toList());
  }

  @Test
  void aBranchThatNoMergeJoinsIsRefused() throws Exception {
    FunctionRebuilder w = walk();
    Act x = step(w, "a");
    step(w, "b");
    branch(w, x, "c");
    var e = assertThrows(UnsupportedModelException.class, w::requireChain);
    assertTrue(e.getMessage().contains("step 2 (c) starts a branch"), e.getMessage());
  }
}
