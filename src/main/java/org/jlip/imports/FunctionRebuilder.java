package org.jlip.imports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.NodeDef;

/**
 * Walks a SavedModel's function bodies from an output back to the input and turns the activation path into a
 * chain of {@link Step}s. Values are activations, variable handles, and constants; calls (StatefulPartitionedCall,
 * PartitionedCall) are followed into their functions with their arguments bound to the caller's values. Branches
 * from one activation are laid out one after another and joined by their merge ({@link BranchMerge}) into one
 * step.
 */
final class FunctionRebuilder {
  /** Ops the walk understands; anything else on the way is listed in the refusal. */
  static final Set<String> SUPPORTED = Set.of("Identity", "IdentityN", "StopGradient", "Snapshot", "ReadVariableOp",
      "Const", "StatefulPartitionedCall", "PartitionedCall", "MatMul", "Conv2D", "DepthwiseConv2dNative",
      "Conv2DBackpropInput", "BiasAdd", "Add", "AddV2", "Relu",
      "LeakyRelu", "MaxPool", "AvgPool", "FusedBatchNorm", "FusedBatchNormV3", "Reshape", "Softmax", "NoOp",
      "Squeeze", "Shape", "StridedSlice", "Pack", "Sub", "Mul", "RealDiv", "Rsqrt", "Sqrt", "Neg",
      "Mean", "Max", "Relu6", "Tanh", "Sigmoid", "Elu", "Selu", "Softplus", "Minimum", "Maximum", "Greater",
      "SelectV2", "Split", "ConcatV2", "Square", "Sum", "Min", "TopKV2", "Sin", "Cos", "LessEqual", "Less",
      "GreaterEqual", "Transpose", "Pad", "PadV2", "MirrorPad", "Erfc", "Softsign", "GatherV2", "Prod", "ExpandDims",
      "ResizeBilinear", "ResizeNearestNeighbor", "Tile", "Cast");

  /** A value flowing through the walk. */
  sealed interface Val {}

  /**
   * The activation after {@code pos} steps; {@code softmax}: a softmax was applied and left out; {@code id}: which
   * step made it (a merge replaces the steps of its branches, and activations inside them are gone).
   */
  record Act(int pos, boolean softmax, long id) implements Val {}

  /**
   * The activation {@code act}, of shape [free..., C] per sample, reshaped to rows [batch * prod(free), C]: how
   * TensorFlow's tensordot (Keras's Dense on an image or a sequence) multiplies its last axis ({@link
   * TensordotRows}).
   */
  record Rows(Act act, long[] free) implements Val {}

  record Resource(String variable) implements Val {}

  record Const(float[] floats, long[] longs, long[] shape) implements Val {}

  /** Reads a variable's value by the name of its top-level VarHandleOp. */
  interface VariableReader {
    Const read(String variable) throws java.io.IOException;
  }

  private final Map<String, FunctionDef> functions;
  private final VariableReader reader;
  final List<Step> steps = new ArrayList<>();
  /** The activation's shape after each number of steps (index 0: the input's). */
  final List<long[]> shapes = new ArrayList<>();
  /**
   * The activation each step read: its own position, or an earlier one where a branch starts at a fork (until the
   * branches' merge makes them one {@link Step.Merge}).
   */
  final List<Integer> inputs = new ArrayList<>();
  /** The id of the activation after each number of steps. */
  final List<Long> ids = new ArrayList<>();
  private long nextId = 1;
  /** The earlier activation the next step reads (a branch from a fork), or -1 for the current one. */
  private int forkInput = -1;
  long[] shape;
  boolean softmax;
  /** The id of the activation an NCHW Conv2D made, for the BiasAdd TensorFlow fuses with it; -1 for none. */
  long channelsFirstConv2d = -1;

  FunctionRebuilder(Map<String, FunctionDef> functions, VariableReader reader, long[] inputShape) {
    this.functions = functions;
    this.reader = reader;
    this.shape = inputShape;
    shapes.add(inputShape);
    ids.add(0L);
  }

  /** The activation after the current steps. */
  Act current(boolean softmax) {
    return new Act(steps.size(), softmax, ids.get(steps.size()));
  }

  /** Whether {@code a} is still an activation of the chain (not one inside a merged block). */
  boolean valid(Act a) {
    return a.pos() < ids.size() && ids.get(a.pos()) == a.id();
  }

  /** The next step reads the earlier activation {@code a}: a branch starts at its position. */
  void branchFrom(Act a) {
    forkInput = a.pos();
    shape = shapes.get(a.pos());
  }

  /** Refuses a walk that left a branch without its merge: the steps would not be one chain. */
  void requireChain() throws UnsupportedModelException {
    for (int k = 0; k < inputs.size(); k++) {
      if (inputs.get(k) != k) {
        throw new UnsupportedModelException("step " + k + " (" + steps.get(k).name() + ") starts a branch from an"
            + " earlier activation that no merge (Add, Sub, ConcatV2) joins with the output's path");
      }
    }
  }

  /** Drops the steps from {@code from} on (a merge replaces them), back to the activation at {@code from}. */
  void truncate(int from) {
    steps.subList(from, steps.size()).clear();
    shapes.subList(from + 1, shapes.size()).clear();
    inputs.subList(from, inputs.size()).clear();
    ids.subList(from + 1, ids.size()).clear();
    shape = shapes.get(from);
    forkInput = -1;
  }

  /** Appends a step on the current activation and returns the new activation. */
  List<Val> step(Step s) throws UnsupportedModelException {
    try {
      shape = s.outputShape(shape);
    } catch (IllegalArgumentException e) {
      throw new UnsupportedModelException(e.getMessage());
    }
    inputs.add(forkInput >= 0 ? forkInput : steps.size());
    forkInput = -1;
    steps.add(s);
    shapes.add(shape);
    ids.add(nextId++);
    return List.of(current(false));
  }

  Const readVariable(String variable) throws java.io.IOException {
    return reader.read(variable);
  }

  /**
   * The ops outside {@link #SUPPORTED} that the function's outputs depend on, in it and in everything it calls, as
   * "op (node in function)". Ops no output reads (Keras 3's ActivityRegularization computes its penalty in the
   * serving function and drops it) are never evaluated by the walk; the allowlist has checked them already.
   */
  static List<String> unsupported(String function, Map<String, FunctionDef> functions) {
    List<String> found = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    List<String> todo = new ArrayList<>(List.of(function));
    while (!todo.isEmpty()) {
      String name = todo.remove(todo.size() - 1);
      FunctionDef f = functions.get(name);
      if (f == null || !seen.add(name)) {
        continue;
      }
      Map<String, NodeDef> nodes = new HashMap<>();
      f.getNodeDefList().forEach(n -> nodes.put(n.getName(), n));
      List<String> refs = new ArrayList<>(f.getRetMap().values());
      Set<String> reached = new TreeSet<>();
      while (!refs.isEmpty()) {
        NodeDef n = nodes.get(refs.remove(refs.size() - 1).split(":")[0]);
        if (n == null || !reached.add(n.getName())) {
          continue;
        }
        if (!SUPPORTED.contains(n.getOp())) {
          found.add(n.getOp() + " (node '" + n.getName() + "' in " + name + ")");
        }
        n.getInputList().stream().filter(i -> !i.startsWith("^")).forEach(refs::add);
        for (AttrValue a : n.getAttrMap().values()) {
          if (a.hasFunc()) {
            todo.add(a.getFunc().getName());
          }
        }
      }
    }
    return found;
  }

  /** Calls {@code function} on {@code args} and returns its outputs. */
  List<Val> call(String function, List<Val> args) throws java.io.IOException {
    FunctionDef f = functions.get(function);
    if (f == null) {
      throw new MalformedModelException("function '" + function + "' is not in the function library");
    }
    if (args.size() != f.getSignature().getInputArgCount()) {
      throw new MalformedModelException("function '" + function + "' takes " + f.getSignature().getInputArgCount()
          + " arguments, called with " + args.size());
    }
    Frame frame = new Frame(f);
    for (int i = 0; i < args.size(); i++) {
      frame.values.put(f.getSignature().getInputArg(i).getName(), List.of(args.get(i)));
    }
    List<Val> out = new ArrayList<>();
    for (var arg : f.getSignature().getOutputArgList()) {
      out.add(frame.eval(f.getRetOrThrow(arg.getName())));
    }
    return out;
  }

  private final class Frame {
    final FunctionDef f;
    final Map<String, NodeDef> nodes = new HashMap<>();
    final Map<String, List<Val>> values = new HashMap<>();

    Frame(FunctionDef f) {
      this.f = f;
      f.getNodeDefList().forEach(n -> nodes.put(n.getName(), n));
    }

    /** "arg" or "node:output:index". */
    Val eval(String ref) throws java.io.IOException {
      String[] parts = ref.split(":");
      List<Val> vals = values.get(parts[0]);
      if (vals == null) {
        NodeDef n = nodes.get(parts[0]);
        if (n == null) {
          throw new MalformedModelException("unknown input '" + ref + "' in function '" + name() + "'");
        }
        if (n.getOp().equals("IdentityN") && parts.length == 3) {
          // Output i is input i. Only the one asked for is evaluated: tf.custom_gradient (deel-lip's L2 pooling)
          // wraps its result in IdentityN together with its own input, which is no value of the chain.
          int i = Integer.parseInt(parts[2]);
          List<String> data = n.getInputList().stream().filter(s -> !s.startsWith("^")).toList();
          if (i >= data.size()) {
            throw new MalformedModelException("'" + ref + "' in function '" + name() + "' has no output " + i);
          }
          return eval(data.get(i));
        }
        vals = evalNode(n);
        values.put(parts[0], vals);
      }
      if (parts.length == 3 && parts[1].equals("batch_mean")) {
        throw new UnsupportedModelException("node '" + parts[0] + "' in " + name() + ": only the output y of a"
            + " batch normalisation in inference form can be bounded");
      }
      int index = parts.length == 3 ? Integer.parseInt(parts[2]) : 0;
      if (index >= vals.size()) {
        throw new MalformedModelException("'" + ref + "' in function '" + name() + "' has no output " + index);
      }
      return vals.get(index);
    }

    String name() {
      return f.getSignature().getName();
    }

    List<Val> evalNode(NodeDef n) throws java.io.IOException {
      String where = n.getOp() + " (node '" + n.getName() + "' in " + name() + ")";
      ActivationPatterns.Match activation = ActivationPatterns.match(n, nodes);
      if (activation != null) {
        return OpRules.step(FunctionRebuilder.this, new Step.Elementwise(n.getName(), activation.function(),
            activation.param()), eval(activation.input()), where);
      }
      DeelLipPatterns.Match pattern = DeelLipPatterns.match(n, nodes);
      if (pattern != null) {
        Val x = eval(pattern.input());
        OpRules.requireCurrent(FunctionRebuilder.this, x, where);
        Val constant = pattern.constant() == null ? null : eval(pattern.constant());
        if (constant != null && !(constant instanceof Const)) {
          throw new UnsupportedModelException(where + ": reads a value that is not a weight or constant where the"
              + " pattern needs one");
        }
        Step s;
        try {
          s = pattern.step().of(shape, (Const) constant);
        } catch (IllegalArgumentException e) {
          throw new UnsupportedModelException(where + ": " + e.getMessage());
        }
        return OpRules.step(FunctionRebuilder.this, s, x, where);
      }
      List<Val> in = new ArrayList<>();
      for (String i : n.getInputList()) {
        if (!i.startsWith("^")) {
          in.add(eval(i));
        }
      }
      return OpRules.apply(FunctionRebuilder.this, n, in, where);
    }
  }
}
