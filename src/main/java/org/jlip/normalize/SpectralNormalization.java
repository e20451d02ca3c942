package org.jlip.normalize;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Spectral normalisation and deel-lip's reshaped-kernel orthogonalisation (the constraint of SpectralDense and
 * SpectralConv2D).
 */
public final class SpectralNormalization {
  private SpectralNormalization() {}

  /**
   * @param w the normalised kernel, in the input kernel's shape
   * @param u the new power-iteration vector [1, d_out] (stop-gradient)
   * @param sigma the spectral-norm estimate of the input kernel (a scalar)
   */
  public record Normalized<T extends TFloating>(Operand<T> w, Operand<T> u, Operand<T> sigma) {}

  /**
   * W_bar = W / (sigma + eps) with sigma = ||u W^T|| from {@link PowerIteration#matrix} warm-started at
   * {@code u0} [1, d_out]; {@code w} is [d_in, d_out].
   */
  public static <T extends TFloating> Normalized<T> spectral(
      Ops tf, Operand<T> w, Operand<T> u0, int maxIter, double eps) {
    PowerIteration.Estimate<T> e = PowerIteration.matrix(tf, w, u0, maxIter, eps);
    Operand<T> wBar = tf.math.div(w, tf.math.add(e.sigma(), GraphMath.scalar(tf, eps, w)));
    return new Normalized<>(wBar, e.u(), e.sigma());
  }

  /**
   * deel-lip's reshaped_kernel_orthogonalization: reshape the kernel [.., d_out] (e.g. [kh, kw, cin, cout]) to
   * W = [prod(..), d_out], W_bar = Bjorck(W / (sigma + epsSpectral)) ({@link Bjorck#orthonormalize}, skipped
   * when maxIterBjorck = 0), reshaped back. The kernel's shape must be known at graph-build time.
   */
  public static <T extends TFloating> Normalized<T> reshapedKernelOrthogonalization(
      Ops tf, Operand<T> kernel, Operand<T> u0, SpectralParams p) {
    long[] shape = kernel.shape().asArray();
    long dOut = shape[shape.length - 1];
    long dIn = kernel.shape().size() / dOut;
    Operand<T> w = tf.reshape(kernel, tf.constant(new long[] {dIn, dOut}));
    Normalized<T> n = spectral(tf, w, u0, p.maxIterSpectral(), p.epsSpectral());
    Operand<T> wBar = Bjorck.orthonormalize(tf, n.w(), p.maxIterBjorck(), p.betaBjorck(), p.epsBjorck());
    if (shape.length != 2) {
      wBar = tf.reshape(wBar, tf.constant(shape));
    }
    return new Normalized<>(wBar, n.u(), n.sigma());
  }
}
