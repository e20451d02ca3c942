package org.jlip.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Shapes, forward ops and bounds shared by the transposed convolution layers (NHWC, Keras's kernel layout). */
final class TransposedKernels {
  private TransposedKernels() {}

  /** [kh, kw, filters, channels]: the kernel of a transposed convolution with {@code filters} outputs. */
  static long[] dims(List<Integer> kernelSize, int filters, long[] inputShape) {
    return new long[] {kernelSize.get(0), kernelSize.get(1), filters, inputShape[2]};
  }

  /** Output [h sh, w sw, filters] for "same", [h sh + max(kh - sh, 0), ..., filters] for "valid" (Keras's). */
  static long[] outputShape(long[] in, List<Integer> kernel, List<Integer> strides, String padding, int filters) {
    return new long[] {TransposedConvolution.outputSize(in[0], kernel.get(0), strides.get(0), padding),
        TransposedConvolution.outputSize(in[1], kernel.get(1), strides.get(1), padding), filters};
  }

  /** y = conv2d_transpose(x, K) + b, b left out when {@code bias} is null. */
  static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> k, Variable<TFloat32> bias,
      long[] in, long[] out, List<Integer> kernel, List<Integer> strides, String padding) {
    Operand<TFloat32> y = TransposedConvolution.apply(tf, x, k, kernel.get(0), kernel.get(1), (int) in[2],
        strides.get(0), strides.get(1), padding, in[0], in[1], out[0], out[1]);
    return bias == null ? y : tf.nn.biasAdd(y, tf.identity(bias));
  }

  /** {@link TransposedConvolution#bound} of kernel {@code k} between the layer's shapes. */
  static LayerBound bound(double nominal, float[] k, long[] in, long[] out, List<Integer> kernel,
      List<Integer> strides, String padding) {
    return TransposedConvolution.bound(nominal, k, kernel.get(0), kernel.get(1), (int) out[2], (int) in[2],
        strides.get(0), strides.get(1), padding, out[0], out[1]);
  }
}
