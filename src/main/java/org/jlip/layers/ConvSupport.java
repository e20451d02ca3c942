package org.jlip.layers;

import java.util.List;
import org.jlip.certify.OperatorNorms;
import org.jlip.normalize.PowerIteration;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Shapes and bounds shared by the convolution layers (NHWC, kernels [kh, kw, cin, cout]). */
final class ConvSupport {
  private ConvSupport() {}

  /** Kernel dimensions of a convolution with {@code filters} outputs over [H, W, cin] inputs. */
  record KernelShape(int kh, int kw, int cin, int cout) {
    static KernelShape of(List<Integer> kernelSize, long[] inputShape, int filters) {
      return new KernelShape(kernelSize.get(0), kernelSize.get(1), (int) inputShape[2], filters);
    }

    /** [kh, kw, cin, cout], the variable's shape. */
    long[] dims() {
      return new long[] {kh, kw, cin, cout};
    }

    /** kh * kw * cin: the rows of the kernel reshaped to a matrix. */
    int fanIn() {
      return kh * kw * cin;
    }
  }

  /** Output [oh, ow, filters] of TensorFlow's "same" or "valid" padding. */
  static long[] outputShape(String layer, long[] in, List<Integer> kernel, List<Integer> strides, String padding,
      int filters) {
    long h = in[0];
    long w = in[1];
    int sh = strides.get(0);
    int sw = strides.get(1);
    if ("valid".equals(padding)) {
      if (h < kernel.get(0) || w < kernel.get(1)) {
        throw new IllegalArgumentException(layer + ": input " + h + "x" + w + " is smaller than the kernel "
            + kernel + " with padding valid");
      }
      return new long[] {(h - kernel.get(0)) / sh + 1, (w - kernel.get(1)) / sw + 1, filters};
    }
    return new long[] {(h + sh - 1) / sh, (w + sw - 1) / sw, filters};
  }

  static List<Long> strides4(List<Integer> strides) {
    return List.of(1L, (long) strides.get(0), (long) strides.get(1), 1L);
  }

  /**
   * W / (s + eps), s the operator norm of x -> conv2d(x, W, strides, SAME) on inputs shaped like the state
   * {@code v} [1, h, w, cin], estimated by a power iteration warm-started from v ({@code maxIter} iterations, stopped
   * at {@code eps}); v's update joins {@code assigns}.
   */
  static Operand<TFloat32> dividedByConvNorm(Ops tf, Operand<TFloat32> w, Variable<TFloat32> v,
      List<Integer> strides, int maxIter, double eps, List<Op> assigns) {
    PowerIteration.Estimate<TFloat32> e = PowerIteration.conv(tf, w, tf.identity(v), v.shape().asArray(),
        strides4(strides), maxIter, eps);
    assigns.add(tf.assign(v, e.u()));
    return tf.math.div(w, tf.math.add(e.sigma(), tf.constant((float) eps)));
  }

  /**
   * Measured bound of a convolution with weights {@code kernel}: the DFT bound (guaranteed, any stride and
   * padding, see {@link OperatorNorms#convDftBound}) and a Lanczos lower estimate of the strided operator.
   */
  static LayerBound bound(double nominal, float[] kernel, long[] in, List<Integer> ks, List<Integer> strides,
      String padding) {
    int kh = ks.get(0);
    int kw = ks.get(1);
    int cin = (int) in[2];
    int cout = kernel.length / (kh * kw * cin);
    int h = (int) in[0];
    int w = (int) in[1];
    double dft = OperatorNorms.convDftBound(kernel, kh, kw, cin, cout, h, w, strides.get(0), strides.get(1),
        padding);
    double est = OperatorNorms.convNormEstimate(kernel, kh, kw, cin, cout, h, w, strides.get(0), strides.get(1),
        padding, 1L);
    return new LayerBound(nominal, dft, Math.min(est, dft), "dft", false);
  }
}
