package org.jlip.layers;

import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Forward ops and initial values shared by the dense and convolution layers (kernel W, optional bias b). */
final class Kernels {
  private Kernels() {}

  /** y = x W + b, b left out when {@code bias} is null; the bias is read through {@code tf.identity}. */
  static Operand<TFloat32> affine(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w, Variable<TFloat32> bias) {
    return withBias(tf, tf.linalg.matMul(x, w), bias);
  }

  /** y = conv2d(x, W) + b (NHWC), padding "same" or "valid", b left out when {@code bias} is null. */
  static Operand<TFloat32> conv(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w, Variable<TFloat32> bias,
      List<Integer> strides, String padding) {
    Operand<TFloat32> y = tf.nn.conv2d(x, w, ConvSupport.strides4(strides), padding.toUpperCase(Locale.ROOT));
    return withBias(tf, y, bias);
  }

  private static Operand<TFloat32> withBias(Ops tf, Operand<TFloat32> y, Variable<TFloat32> bias) {
    return bias == null ? y : tf.nn.biasAdd(y, tf.identity(bias));
  }

  /** v * f element-wise, in float as the stored wbar. */
  static float[] scaled(float[] v, float f) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] * f;
    }
    return out;
  }

  /** ||v||_2 = sqrt(sum v_i^2), accumulated in double. */
  static double frobeniusNorm(float[] v) {
    double f = 0;
    for (float x : v) {
      f += (double) x * x;
    }
    return Math.sqrt(f);
  }
}
