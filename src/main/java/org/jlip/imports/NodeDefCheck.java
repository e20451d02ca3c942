package org.jlip.imports;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.OpDef.ArgDef;
import org.tensorflow.proto.OpDef.AttrDef;

/**
 * Checks an untrusted node against TensorFlow's op registry before TensorFlow sees it. Some of TensorFlow's graph
 * passes do not report a malformed node but abort the whole process: measured here, a Conv2D without its padding
 * attribute killed the JVM in the oneDNN layout pass when the signature ran. So every node must name a registered
 * op (or a library function), carry each attribute the op requires with a value of the declared kind, and have as
 * many data inputs as the op's arguments take; a constant may not declare more elements than {@link
 * TensorProtos#MAX_ELEMENTS} (one stored value may stand for a whole shape) nor pack bytes that do not fit it.
 */
final class NodeDefCheck {
  private static Map<String, OpDef> registry;

  private NodeDefCheck() {}

  /** Adds what is wrong with {@code n} (at {@code where}) to {@code problems}; function calls are not checked. */
  static void check(NodeDef n, String where, boolean functionCall, List<String> problems) {
    if (functionCall) {
      return;
    }
    OpDef op = ops().get(n.getOp());
    if (op == null) {
      problems.add(where + ": op " + n.getOp() + " is neither a TensorFlow op nor a function of the model");
      return;
    }
    boolean placeholders = false;
    for (AttrDef a : op.getAttrList()) {
      AttrValue v = n.getAttrMap().get(a.getName());
      if (v == null) {
        if (!a.hasDefaultValue()) {
          problems.add(where + ": " + n.getOp() + " lacks its attribute '" + a.getName() + "' (" + a.getType() + ")");
        }
        continue;
      }
      placeholders |= v.getValueCase() == AttrValue.ValueCase.PLACEHOLDER;
      String constant = v.hasTensor() ? TensorProtos.problem(v.getTensor()) : null;
      if (constant != null) {
        problems.add(where + ": " + n.getOp() + " attribute '" + a.getName() + "': " + constant);
      }
      if (!fits(v, a.getType())) {
        problems.add(where + ": " + n.getOp() + " attribute '" + a.getName() + "' holds a " + v.getValueCase()
            + " value where the op takes " + a.getType());
      }
    }
    if (placeholders) {
      return;
    }
    Integer expected = inputs(op.getInputArgList(), n);
    long actual = n.getInputList().stream().filter(i -> !i.startsWith("^")).count();
    if (expected != null && expected != actual) {
      problems.add(where + ": " + n.getOp() + " has " + actual + " data inputs, the op takes " + expected);
    }
  }

  /** How many tensors the arguments take, or null when an attribute that sizes them is missing. */
  private static Integer inputs(List<ArgDef> args, NodeDef n) {
    int count = 0;
    for (ArgDef arg : args) {
      if (!arg.getNumberAttr().isEmpty()) {
        AttrValue v = n.getAttrMap().get(arg.getNumberAttr());
        if (v == null || v.getValueCase() != AttrValue.ValueCase.I) {
          return null;
        }
        count += (int) v.getI();
      } else if (!arg.getTypeListAttr().isEmpty()) {
        AttrValue v = n.getAttrMap().get(arg.getTypeListAttr());
        if (v == null || v.getValueCase() != AttrValue.ValueCase.LIST) {
          return null;
        }
        count += v.getList().getTypeCount();
      } else {
        count++;
      }
    }
    return count;
  }

  /** Whether the value is of the attribute's declared kind (a placeholder of a function body fits any). */
  private static boolean fits(AttrValue v, String type) {
    AttrValue.ValueCase c = v.getValueCase();
    if (c == AttrValue.ValueCase.PLACEHOLDER || c == AttrValue.ValueCase.VALUE_NOT_SET) {
      return true;
    }
    if (type.startsWith("list(")) {
      return c == AttrValue.ValueCase.LIST;
    }
    return switch (type) {
      case "string" -> c == AttrValue.ValueCase.S;
      case "int" -> c == AttrValue.ValueCase.I;
      case "float" -> c == AttrValue.ValueCase.F;
      case "bool" -> c == AttrValue.ValueCase.B;
      case "type" -> c == AttrValue.ValueCase.TYPE;
      case "shape" -> c == AttrValue.ValueCase.SHAPE;
      case "tensor" -> c == AttrValue.ValueCase.TENSOR;
      case "func" -> c == AttrValue.ValueCase.FUNC;
      default -> true;
    };
  }

  private static synchronized Map<String, OpDef> ops() {
    if (registry == null) {
      Map<String, OpDef> m = new HashMap<>();
      TensorFlow.registeredOpList().getOpList().forEach(o -> m.put(o.getName(), o));
      registry = m;
    }
    return registry;
  }
}
