package org.jlip.imports;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * The element-wise activations jlip certifies in imported models. An element-wise map f applied to each
 * coordinate is Lipschitz (in L2) with the constant of f on the reals, sup |f'|, which {@link #lipschitz} gives
 * exactly; some take one parameter ({@code param}, ignored by the others).
 */
enum ElementwiseFunction {
  /** max(x, 0): 1. */
  RELU,
  /** x above 0, param * x below (Keras's leaky_relu, LeakyReLU): max(1, |param|). */
  LEAKY_RELU,
  /** min(max(x, 0), 6): 1. */
  RELU6,
  /** min(max(x, 0), param), Keras's ReLU(max_value) for another max_value than 6: 1. */
  CLIPPED_RELU,
  /** tanh(x): 1, its slope at 0. */
  TANH,
  /** 1 / (1 + exp(-x)): 1/4, its slope at 0. */
  SIGMOID,
  /** x above 0, param * (exp(x) - 1) below (Keras's elu, ELU(alpha)): max(1, |param|), approached at 0-. */
  ELU,
  /** SELU_SCALE * elu(x) with alpha SELU_ALPHA: SELU_SCALE * SELU_ALPHA, approached at 0-. */
  SELU,
  /** log(1 + exp(x)): 1, its slope sigmoid(x) tending to 1. */
  SOFTPLUS,
  /** min(x, param): 1 (the clip of Keras's ReLU(max_value) in a SavedModel). */
  MINIMUM,
  /** max(x, param): 1. */
  MAXIMUM,
  /** x Phi(x) = x (1 + erf(x / sqrt 2)) / 2 (Keras's gelu): GELU_LIPSCHITZ, the slope at x = sqrt 2. */
  GELU,
  /**
   * x sigmoid(param x), param > 0 (Keras's silu/swish, TensorFlow's silu with beta = param): SILU_LIPSCHITZ, as
   * its slope is silu'(param x).
   */
  SILU,
  /** x tanh(softplus(x)) (Keras's mish): MISH_LIPSCHITZ. */
  MISH,
  /** x / (1 + |x|): 1, its slope at 0. */
  SOFTSIGN,
  /** relu6(x + 3) / 6 (Keras 3's hard_sigmoid): 1/6. */
  HARD_SIGMOID,
  /** x relu6(x + 3) / 6 (Keras's hard_silu/hard_swish): 3/2, its slope (2x + 3)/6 as x tends to 3. */
  HARD_SILU;

  /** TensorFlow's and Keras's SELU constants (Klambauer et al. 2017). */
  static final double SELU_SCALE = 1.0507009873554805;
  static final double SELU_ALPHA = 1.6732632423543772;

  /**
   * sup |f'| of the smooth gated activations, at their maximising x (the slopes' minima are smaller in size):
   * GELU's is Phi(sqrt 2) + sqrt 2 phi(sqrt 2) = (1 + erf(1)) / 2 + exp(-1) / sqrt(pi) = 1.12890414518...;
   * SiLU's and Mish's found numerically (at x = 2.39936 and 1.49057) and rounded up in the tenth decimal.
   * ElementwiseFunctionTest scans every slope against them.
   */
  static final double GELU_LIPSCHITZ = 1.1289041452;
  static final double SILU_LIPSCHITZ = 1.0998393202;
  static final double MISH_LIPSCHITZ = 1.0884981613;

  /** The Lipschitz constant sup |f'| for this parameter. */
  double lipschitz(float param) {
    return switch (this) {
      case LEAKY_RELU, ELU -> Math.max(1.0, Math.abs(param));
      case SIGMOID -> 0.25;
      case SELU -> SELU_SCALE * SELU_ALPHA;
      case GELU -> GELU_LIPSCHITZ;
      case SILU -> SILU_LIPSCHITZ;
      case MISH -> MISH_LIPSCHITZ;
      case HARD_SIGMOID -> 1.0 / 6;
      case HARD_SILU -> 1.5;
      default -> 1.0;
    };
  }

  /**
   * Builds f(x). ELU with alpha other than 1 (TensorFlow's Elu has alpha 1) is relu(x) + alpha * min(elu(x), 0),
   * Keras's where(x > 0, elu(x), alpha * elu(x)) from ops that all have graph gradients.
   */
  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, float param) {
    return switch (this) {
      case RELU -> tf.nn.relu(x);
      case LEAKY_RELU -> tf.nn.leakyRelu(x, LeakyRelu.alpha(param));
      case RELU6 -> tf.nn.relu6(x);
      case CLIPPED_RELU -> tf.math.minimum(tf.nn.relu(x), tf.constant(param));
      case TANH -> tf.math.tanh(x);
      case SIGMOID -> tf.math.sigmoid(x);
      case ELU -> param == 1 ? tf.nn.elu(x) : tf.math.add(tf.nn.relu(x),
          tf.math.mul(tf.constant(param), tf.math.minimum(tf.nn.elu(x), tf.constant(0f))));
      case SELU -> tf.nn.selu(x);
      case SOFTPLUS -> tf.math.softplus(x);
      case MINIMUM -> tf.math.minimum(x, tf.constant(param));
      case MAXIMUM -> tf.math.maximum(x, tf.constant(param));
      case GELU -> tf.math.mul(tf.math.mul(tf.constant(0.5f), x),
          tf.math.add(tf.constant(1f), tf.math.erf(tf.math.mul(x, tf.constant((float) Math.sqrt(0.5))))));
      case SILU -> tf.math.mul(x, tf.math.sigmoid(param == 1 ? x : tf.math.mul(tf.constant(param), x)));
      case MISH -> tf.math.mul(x, tf.math.tanh(tf.math.softplus(x)));
      case SOFTSIGN -> tf.math.div(x, tf.math.add(tf.constant(1f), tf.math.abs(x)));
      case HARD_SIGMOID -> hardSigmoid(tf, x);
      case HARD_SILU -> tf.math.mul(x, hardSigmoid(tf, x));
    };
  }

  private static Operand<TFloat32> hardSigmoid(Ops tf, Operand<TFloat32> x) {
    return tf.math.div(tf.nn.relu6(tf.math.add(x, tf.constant(3f))), tf.constant(6f));
  }

  /**
   * The step of a parameter-free TensorFlow op (Relu, Relu6, Tanh, Sigmoid, Elu with its fixed alpha 1, Selu,
   * Softplus, Softsign), or null for another op.
   */
  static Step.Elementwise ofOp(String op, String stepName) {
    ElementwiseFunction f = switch (op) {
      case "Relu" -> RELU;
      case "Relu6" -> RELU6;
      case "Tanh" -> TANH;
      case "Sigmoid" -> SIGMOID;
      case "Elu" -> ELU;
      case "Selu" -> SELU;
      case "Softplus" -> SOFTPLUS;
      case "Softsign" -> SOFTSIGN;
      default -> null;
    };
    return f == null ? null : new Step.Elementwise(stepName, f, f == ELU ? 1f : 0f);
  }
}
