package org.jlip.imports;

import java.io.IOException;
import java.util.Map;
import org.jlip.imports.OnnxFile.Node;
import org.jlip.imports.OnnxTranslator.Activation;

/**
 * ONNX's element-wise activations as the TensorFlow ops of the same name. Elu and Selu are read with the constants
 * TensorFlow's ops fix (alpha 1; Selu's 1.67326 and 1.0507); Clip is relu6, a relu, or a clip by scalar bounds.
 */
final class OnnxActivations {
  private static final Map<String, String> SAME = Map.of("Relu", "Relu", "Sigmoid", "Sigmoid", "Tanh", "Tanh",
      "Softplus", "Softplus", "Softsign", "Softsign");

  private OnnxActivations() {}

  static Activation of(OnnxTranslator t, Node n) throws IOException {
    Activation x = t.image(n, 0, false);
    String op = n.opType();
    if (SAME.containsKey(op)) {
      return t.emit(SAME.get(op), n.name(), x.shape(), x.image(), Map.of(), x.ref());
    }
    switch (op) {
      case "LeakyRelu":
        return t.emit("LeakyRelu", n.name(), x.shape(), x.image(), Map.of("alpha",
            OnnxTranslator.real(t.attrF(n, "alpha", 0.01f))), x.ref());
      case "Elu":
        requireDefault(t, n, "alpha", 1f, 1f);
        return t.emit("Elu", n.name(), x.shape(), x.image(), Map.of(), x.ref());
      case "Selu":
        requireDefault(t, n, "alpha", 1.67326319f, 1.67326324f);
        requireDefault(t, n, "gamma", 1.05070099f, 1.05070102f);
        return t.emit("Selu", n.name(), x.shape(), x.image(), Map.of(), x.ref());
      default:
        return clip(t, n, x);
    }
  }

  private static Activation clip(OnnxTranslator t, Node n, Activation x) throws IOException {
    float lo = t.hasInput(n, 1) ? scalar(t, n, 1) : t.attrF(n, "min", Float.NEGATIVE_INFINITY);
    float hi = t.hasInput(n, 2) ? scalar(t, n, 2) : t.attrF(n, "max", Float.POSITIVE_INFINITY);
    if (lo == 0 && hi == 6) {
      return t.emit("Relu6", n.name(), x.shape(), x.image(), Map.of(), x.ref());
    }
    Activation y = x;
    if (lo == 0) {
      y = t.emit("Relu", n.name() + "/min", x.shape(), x.image(), Map.of(), x.ref());
    } else if (lo > Float.NEGATIVE_INFINITY) {
      y = t.emit("Maximum", n.name() + "/min", x.shape(), x.image(), Map.of(), x.ref(), t.arg(new float[] {lo}));
    }
    if (hi < Float.POSITIVE_INFINITY) {
      y = t.emit("Minimum", n.name() + "/max", x.shape(), x.image(), Map.of(), y.ref(), t.arg(new float[] {hi}));
    }
    return y;
  }

  private static float scalar(OnnxTranslator t, Node n, int i) throws IOException {
    float[] v = t.floats(n, i);
    if (v.length != 1) {
      throw new UnsupportedModelException(t.where(n) + ": input " + i + " must be one value");
    }
    return v[0];
  }

  private static void requireDefault(OnnxTranslator t, Node n, String attr, float lo, float hi)
      throws UnsupportedModelException {
    float v = t.attrF(n, attr, lo);
    if (v < lo || v > hi) {
      throw new UnsupportedModelException(t.where(n) + " has " + attr + " " + v + "; jlip reads TensorFlow's"
          + " constant for it only");
    }
  }
}
