package org.jlip.normalize;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * Largest singular value by power iteration with a persistent, warm-started vector (no gradient through it).
 *
 * <p>TensorFlow Java 1.1.0 has no differentiable while loop, so the loop is unrolled {@code maxIter} times. The
 * early stop of deel-lip (||u_t - u_{t-1}|| < eps) is reproduced by masking: once an iteration moves u by less
 * than eps, the following ones leave u unchanged, so the result equals deel-lip's stopped loop.
 */
public final class PowerIteration {
  private PowerIteration() {}

  /**
   * @param u the new vector (stop-gradient; assign it to the state variable)
   * @param sigma the singular-value estimate (a scalar), differentiable in the weights
   */
  public record Estimate<T extends TFloating>(Operand<T> u, Operand<T> sigma) {}

  /**
   * Power iteration on a matrix {@code w} [d_in, d_out] from {@code u0} [1, d_out]:
   * u <- u/||u||; repeat: v = u W^T; u = v W; u = u/||u||; then sigma = ||u W^T|| with u held constant.
   */
  public static <T extends TFloating> Estimate<T> matrix(
      Ops tf, Operand<T> w, Operand<T> u0, int maxIter, double eps) {
    Operand<T> wc = tf.stopGradient(w);
    Operand<T> u = normalize(tf, tf.stopGradient(u0));
    Operand<T> done = GraphMath.scalar(tf, 0, u);
    for (int i = 0; i < maxIter; i++) {
      Operand<T> v = tf.linalg.matMul(u, wc, MatMul.transposeB(true));
      Operand<T> next = normalize(tf, tf.linalg.matMul(v, wc));
      Operand<T> doneNext = GraphMath.converged(tf, done, u, next, eps);
      u = GraphMath.keepIfDone(tf, done, u, next);
      done = doneNext;
    }
    u = tf.stopGradient(u);
    Operand<T> sigma = GraphMath.l2(tf, tf.linalg.matMul(u, w, MatMul.transposeB(true)));
    return new Estimate<>(u, sigma);
  }

  /**
   * Power iteration on the convolution operator A: x -> conv2d(x, kernel, strides, SAME) for inputs of shape
   * {@code vShape} = [1, h, w, cin], from {@code v0} of that shape: v <- v/||v||; repeat: v = A^T(A v);
   * v = v/||v|| (A^T is conv2dBackpropInput, the exact adjoint); then sigma = ||A v|| with v held constant.
   * Each iteration costs a batch-1 convolution and its transpose.
   */
  public static <T extends TFloating> Estimate<T> conv(
      Ops tf, Operand<T> kernel, Operand<T> v0, long[] vShape, List<Long> strides, int maxIter, double eps) {
    Operand<T> kc = tf.stopGradient(kernel);
    int[] shape = new int[vShape.length];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = (int) vShape[i];
    }
    Operand<TInt32> sizes = tf.constant(shape);
    Operand<T> v = normalize(tf, tf.stopGradient(v0));
    Operand<T> done = GraphMath.scalar(tf, 0, v);
    for (int i = 0; i < maxIter; i++) {
      Operand<T> y = tf.nn.conv2d(v, kc, strides, "SAME");
      Operand<T> next = normalize(tf, tf.nn.conv2dBackpropInput(sizes, kc, y, strides, "SAME"));
      Operand<T> doneNext = GraphMath.converged(tf, done, v, next, eps);
      v = GraphMath.keepIfDone(tf, done, v, next);
      done = doneNext;
    }
    v = tf.stopGradient(v);
    Operand<T> sigma = GraphMath.l2(tf, tf.nn.conv2d(v, kernel, strides, "SAME"));
    return new Estimate<>(v, sigma);
  }

  private static <T extends TFloating> Operand<T> normalize(Ops tf, Operand<T> x) {
    return tf.math.div(x, GraphMath.l2(tf, x));
  }
}
