package org.jlip.imports;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.jlip.imports.OnnxFile.Node;
import org.jlip.imports.OnnxTranslator.Activation;

/**
 * ONNX's element-wise activations as TensorFlow ops: those of the same name, Selu with TensorFlow's constants
 * (1.67326 and 1.0507), Clip as relu6, a relu, or a clip by scalar bounds, and the gated ones (ELU with alpha other
 * than 1, GELU, SiLU, Mish, hard swish, PReLU) in the op patterns the SavedModel walk reads whole, so each is one
 * step bounded by its exact constant.
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
        return elu(t, n, x);
      case "Gelu":
        return gelu(t, n, x);
      case "HardSwish":
        return hardSwish(t, n, x);
      case "Mish": {
        String sp = t.emitNode("Softplus", n.name() + "/softplus", Map.of(), x.ref()) + ":output:0";
        String tanh = t.emitNode("Tanh", n.name() + "/tanh", Map.of(), sp) + ":output:0";
        return t.emit("Mul", n.name(), x.shape(), x.image(), Map.of(), x.ref(), tanh);
      }
      case "HardSigmoid":
        return hardSigmoid(t, n, x);
      case "PRelu":
        return prelu(t, n, x);
      case "Selu":
        requireDefault(t, n, "alpha", 1.67326319f, 1.67326324f);
        requireDefault(t, n, "gamma", 1.05070099f, 1.05070102f);
        return t.emit("Selu", n.name(), x.shape(), x.image(), Map.of(), x.ref());
      default:
        return clip(t, n, x);
    }
  }

  /**
   * x times a gate computed from x (PyTorch's SiLU exports as Mul(x, Sigmoid(x)), its older Mish as Mul(x,
   * Tanh(Softplus(x)))): the walk reads the product whole as the gated activation, and refuses any other product of
   * activations.
   */
  static Activation gated(OnnxTranslator t, Node n) throws IOException {
    Activation a = t.image(n, 0, false);
    Activation b = t.image(n, 1, false);
    if (!Arrays.equals(a.shape(), b.shape())) {
      throw new UnsupportedModelException(t.where(n) + ": a product of activations of shapes "
          + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
    }
    return t.emit("Mul", n.name(), a.shape(), a.image(), Map.of(), a.ref(), b.ref());
  }

  /** ELU: TensorFlow's Elu for alpha 1, else where(x > 0, elu(x), alpha elu(x)), Keras 3's form. */
  private static Activation elu(OnnxTranslator t, Node n, Activation x) {
    float alpha = t.attrF(n, "alpha", 1f);
    if (alpha == 1f) {
      return t.emit("Elu", n.name(), x.shape(), x.image(), Map.of(), x.ref());
    }
    String elu = t.emitNode("Elu", n.name() + "/elu", Map.of(), x.ref()) + ":output:0";
    String positive = t.emitNode("Greater", n.name() + "/positive", Map.of(), x.ref(), t.floatScalar(0f))
        + ":output:0";
    String scaled = t.emitNode("Mul", n.name() + "/scaled", Map.of(), t.floatScalar(alpha), elu) + ":output:0";
    return t.emit("SelectV2", n.name(), x.shape(), x.image(), Map.of(), positive, elu, scaled);
  }

  /** Exact GELU, x Phi(x), as tf.nn.gelu writes it: Mul(Mul(0.5, x), Erfc(Mul(Neg(x), 1/sqrt 2))). */
  private static Activation gelu(OnnxTranslator t, Node n, Activation x) throws IOException {
    String approximate = t.attrS(n, "approximate", "none");
    if (!approximate.equals("none")) {
      throw new UnsupportedModelException(t.where(n) + ": approximate '" + approximate + "'; jlip reads the exact"
          + " GELU");
    }
    String half = t.emitNode("Mul", n.name() + "/half", Map.of(), t.floatScalar(0.5f), x.ref()) + ":output:0";
    String neg = t.emitNode("Neg", n.name() + "/neg", Map.of(), x.ref()) + ":output:0";
    String scaled = t.emitNode("Mul", n.name() + "/scaled", Map.of(), neg, t.floatScalar((float) Math.sqrt(0.5)))
        + ":output:0";
    String erfc = t.emitNode("Erfc", n.name() + "/erfc", Map.of(), scaled) + ":output:0";
    return t.emit("Mul", n.name(), x.shape(), x.image(), Map.of(), half, erfc);
  }

  /** x relu6(x + 3) / 6 as Keras writes it: Mul(x, RealDiv(Relu6(AddV2(x, 3)), 6)). */
  private static Activation hardSwish(OnnxTranslator t, Node n, Activation x) {
    String shifted = t.emitNode("AddV2", n.name() + "/shifted", Map.of(), x.ref(), t.floatScalar(3f)) + ":output:0";
    String relu6 = t.emitNode("Relu6", n.name() + "/relu6", Map.of(), shifted) + ":output:0";
    String gate = t.emitNode("RealDiv", n.name() + "/gate", Map.of(), relu6, t.floatScalar(6f)) + ":output:0";
    return t.emit("Mul", n.name(), x.shape(), x.image(), Map.of(), x.ref(), gate);
  }

  /** max(0, min(1, alpha x + beta)): a scale, a bias, a relu and a clip at 1, each read on its own. */
  private static Activation hardSigmoid(OnnxTranslator t, Node n, Activation x) {
    int c = (int) x.shape()[x.shape().length - 1];
    float[] alpha = new float[c];
    float[] beta = new float[c];
    Arrays.fill(alpha, t.attrF(n, "alpha", 0.2f));
    Arrays.fill(beta, t.attrF(n, "beta", 0.5f));
    Activation y = t.emit("Mul", n.name() + "/scale", x.shape(), x.image(), Map.of(), x.ref(), t.arg(alpha, c));
    y = t.emit("BiasAdd", n.name() + "/shift", x.shape(), x.image(), Map.of(), y.ref(), t.arg(beta, c));
    y = t.emit("Relu", n.name() + "/relu", x.shape(), x.image(), Map.of(), y.ref());
    return t.emit("Minimum", n.name(), x.shape(), x.image(), Map.of(), y.ref(), t.arg(new float[] {1f}));
  }

  /**
   * PReLU with one slope or one per channel, as Keras writes it: Relu(x) + Mul(-slope, Relu(Neg(x))) (the walk reads
   * it whole; its bound is max(1, max |slope|)).
   */
  private static Activation prelu(OnnxTranslator t, Node n, Activation in) throws IOException {
    float[] slope = t.floats(n, 1);
    Activation x = slope.length == 1 ? in : OnnxChannelAxis.toLast(t, n.name(), in);
    int c = (int) x.shape()[x.shape().length - 1];
    if (slope.length != 1 && slope.length != c) {
      throw new UnsupportedModelException(t.where(n) + ": " + slope.length + " slopes for " + c + " channels");
    }
    float[] negated = new float[slope.length];
    for (int i = 0; i < slope.length; i++) {
      negated[i] = -slope[i];
    }
    String relu = t.emitNode("Relu", n.name() + "/relu", Map.of(), x.ref()) + ":output:0";
    String neg = t.emitNode("Neg", n.name() + "/neg", Map.of(), x.ref()) + ":output:0";
    String negRelu = t.emitNode("Relu", n.name() + "/neg_relu", Map.of(), neg) + ":output:0";
    String scaled = t.emitNode("Mul", n.name() + "/scaled", Map.of(), t.arg(negated, negated.length), negRelu)
        + ":output:0";
    Activation y = t.emit("AddV2", n.name(), x.shape(), x.image(), Map.of(), relu, scaled);
    return slope.length == 1 ? y : OnnxChannelAxis.back(t, n.name(), y, in);
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
