package org.jlip.imports;

import java.util.List;
import java.util.Map;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;

/**
 * Activations that TensorFlow writes as several ops reading x more than once, which the walk would refuse op by
 * op as a branch; each is recognised whole at its last op and made one {@link Step.Elementwise}:
 * <ul>
 *   <li>Keras 3's ELU with alpha other than 1, where(x > 0, elu(x), alpha * elu(x)): SelectV2(Greater(x, 0),
 *       Elu(x), Mul(alpha, Elu(x)));
 *   <li>GELU (tf.nn.gelu, exact): Mul(Mul(0.5, x), Erfc(Mul(Neg(x), 1/sqrt 2)));
 *   <li>SiLU/swish (tf.nn.silu): Mul(x, Sigmoid(x)) or Mul(x, Sigmoid(Mul(beta, x))), beta > 0;
 *   <li>Mish: Mul(x, Tanh(Softplus(x)));
 *   <li>hard SiLU/swish: Mul(x, RealDiv(Relu6(AddV2(x, 3)), 6)).
 * </ul>
 * Operands of Mul match either way round; constants must be scalar float Const nodes of the same function.
 */
final class ActivationPatterns {
  /** x, as a reference in the matched node's function, and the step's function and parameter. */
  record Match(String input, ElementwiseFunction function, float param) {}

  private static final float HALF = 0.5f;
  private static final float INV_SQRT2 = (float) Math.sqrt(0.5);

  private ActivationPatterns() {}

  /** The activation ending at {@code n}, or null (the walk then reads its ops one by one). */
  static Match match(NodeDef n, Map<String, NodeDef> nodes) {
    return switch (n.getOp()) {
      case "SelectV2" -> scaledElu(n, nodes);
      case "Mul" -> {
        Match gelu = gelu(n, nodes);
        yield gelu != null ? gelu : gated(n, nodes);
      }
      default -> null;
    };
  }

  private static Match scaledElu(NodeDef select, Map<String, NodeDef> nodes) {
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
    Float alpha = otherOperand(mul, in.get(1), nodes);
    return alpha == null || !Float.isFinite(alpha) ? null
        : new Match(elu.getInput(0), ElementwiseFunction.ELU, alpha);
  }

  private static Match gelu(NodeDef mul, Map<String, NodeDef> nodes) {
    if (mul.getInputCount() != 2) {
      return null;
    }
    for (int i = 0; i < 2; i++) {
      NodeDef half = node(nodes, mul.getInput(i), "Mul");
      NodeDef erfc = node(nodes, mul.getInput(1 - i), "Erfc");
      if (half == null || erfc == null || half.getInputCount() != 2 || erfc.getInputCount() != 1) {
        continue;
      }
      String x = constantTimes(half, HALF, nodes);
      NodeDef scaled = node(nodes, erfc.getInput(0), "Mul");
      if (x == null || scaled == null || scaled.getInputCount() != 2) {
        continue;
      }
      String negated = constantTimes(scaled, INV_SQRT2, nodes);
      NodeDef neg = negated == null ? null : node(nodes, negated, "Neg");
      if (neg != null && neg.getInputCount() == 1 && neg.getInput(0).equals(x)) {
        return new Match(x, ElementwiseFunction.GELU, 0f);
      }
    }
    return null;
  }

  /** x times a gate computed from x: SiLU's sigmoid, Mish's tanh(softplus(x)), hard SiLU's relu6(x + 3) / 6. */
  private static Match gated(NodeDef mul, Map<String, NodeDef> nodes) {
    if (mul.getInputCount() != 2) {
      return null;
    }
    for (int i = 0; i < 2; i++) {
      String x = mul.getInput(i);
      String gate = mul.getInput(1 - i);
      NodeDef sigmoid = node(nodes, gate, "Sigmoid");
      if (sigmoid != null && sigmoid.getInputCount() == 1) {
        if (sigmoid.getInput(0).equals(x)) {
          return new Match(x, ElementwiseFunction.SILU, 1f);
        }
        NodeDef scaled = node(nodes, sigmoid.getInput(0), "Mul");
        Float beta = scaled == null || scaled.getInputCount() != 2 ? null : otherOperand(scaled, x, nodes);
        if (beta != null && beta > 0 && Float.isFinite(beta)) {
          return new Match(x, ElementwiseFunction.SILU, beta);
        }
      }
      NodeDef tanh = node(nodes, gate, "Tanh");
      NodeDef softplus = tanh == null || tanh.getInputCount() != 1 ? null : node(nodes, tanh.getInput(0), "Softplus");
      if (softplus != null && softplus.getInputCount() == 1 && softplus.getInput(0).equals(x)) {
        return new Match(x, ElementwiseFunction.MISH, 0f);
      }
      NodeDef div = node(nodes, gate, "RealDiv");
      NodeDef relu6 = div == null || div.getInputCount() != 2 || !Float.valueOf(6f).equals(scalar(nodes,
          div.getInput(1))) ? null : node(nodes, div.getInput(0), "Relu6");
      NodeDef add = relu6 == null || relu6.getInputCount() != 1 ? null : addNode(nodes, relu6.getInput(0));
      if (add != null && add.getInputCount() == 2 && Float.valueOf(3f).equals(otherOperand(add, x, nodes))) {
        return new Match(x, ElementwiseFunction.HARD_SILU, 0f);
      }
    }
    return null;
  }

  private static NodeDef addNode(Map<String, NodeDef> nodes, String ref) {
    NodeDef add = node(nodes, ref, "AddV2");
    return add != null ? add : node(nodes, ref, "Add");
  }

  /** The operand of {@code mul} that a scalar Const equal to {@code c} (to float rounding) multiplies, or null. */
  private static String constantTimes(NodeDef mul, float c, Map<String, NodeDef> nodes) {
    for (int i = 0; i < 2; i++) {
      Float k = scalar(nodes, mul.getInput(i));
      if (k != null && Math.abs(k - c) <= 1e-6f * Math.abs(c)) {
        return mul.getInput(1 - i);
      }
    }
    return null;
  }

  /** The scalar Const that {@code operand} meets in the binary op {@code n}, or null. */
  private static Float otherOperand(NodeDef n, String operand, Map<String, NodeDef> nodes) {
    int other = n.getInput(0).equals(operand) ? 1 : n.getInput(1).equals(operand) ? 0 : -1;
    return other < 0 ? null : scalar(nodes, n.getInput(other));
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
