package org.jlip.imports;

import java.util.List;
import java.util.Map;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;

/**
 * Keras 3 exports its ELU layer with alpha other than 1 as where(x > 0, elu(x), alpha * elu(x)), that is
 * SelectV2(Greater(x, 0), Elu(x), Mul(alpha, Elu(x))): x is read twice, which the walk refuses op by op as a
 * branch, so it recognises the select whole and makes it one ELU(alpha) step.
 */
final class ScaledEluPattern {
  /** x, as a reference in the select's function, and alpha. */
  record Match(String input, float alpha) {}

  private ScaledEluPattern() {}

  /**
   * The match of a SelectV2 node (Mul's operands either way round, 0 and alpha scalar float Const nodes of the same
   * function), or null for any other select, which the walk then refuses at its Greater.
   */
  static Match match(NodeDef select, Map<String, NodeDef> nodes) {
    List<String> in = select.getInputList();
    if (in.size() != 3) {
      return null;
    }
    NodeDef greater = node(nodes, in.get(0), "Greater");
    NodeDef elu = node(nodes, in.get(1), "Elu");
    NodeDef mul = node(nodes, in.get(2), "Mul");
    if (greater == null || elu == null || mul == null || greater.getInputCount() != 2 || elu.getInputCount() != 1
        || !greater.getInput(0).equals(elu.getInput(0)) || !Float.valueOf(0f).equals(scalar(nodes,
        greater.getInput(1))) || mul.getInputCount() != 2) {
      return null;
    }
    int other = mul.getInput(0).equals(in.get(1)) ? 1 : mul.getInput(1).equals(in.get(1)) ? 0 : -1;
    Float alpha = other < 0 ? null : scalar(nodes, mul.getInput(other));
    return alpha == null || !Float.isFinite(alpha) ? null : new Match(elu.getInput(0), alpha);
  }

  private static NodeDef node(Map<String, NodeDef> nodes, String ref, String op) {
    NodeDef n = nodes.get(ref.split(":")[0]);
    return n != null && n.getOp().equals(op) ? n : null;
  }

  /** The value of a scalar float Const node, or null. */
  private static Float scalar(Map<String, NodeDef> nodes, String ref) {
    NodeDef n = node(nodes, ref, "Const");
    if (n == null || !n.containsAttr("value")) {
      return null;
    }
    var t = n.getAttrOrThrow("value").getTensor();
    if (t.getDtype() != DataType.DT_FLOAT || TensorProtos.shape(t.getTensorShape()).length != 0) {
      return null;
    }
    return TensorProtos.floats(t)[0];
  }
}
