package org.jlip.normalize;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.family.TFloating;

/**
 * Bjorck orthonormalisation: W <- (1 + beta) W - beta W W^T W, which drives every singular value of a matrix
 * whose spectral norm is at most 1 towards 1. The cubic term uses the smaller Gram matrix: W (W^T W) when W has
 * more rows than columns, (W W^T) W otherwise.
 *
 * <p>Unrolled {@code maxIter} times (TensorFlow Java 1.1.0 has no differentiable while loop); gradients flow
 * through every iteration. deel-lip's stop (||W_{t+1} - W_t||_F < eps) is reproduced by masking: once reached,
 * the following iterations leave W unchanged, so their gradient is the identity.
 */
public final class Bjorck {
  private Bjorck() {}

  /** Orthonormalises a 2-D {@code w} whose shape is known at graph-build time; maxIter 0 returns w. */
  public static <T extends TFloating> Operand<T> orthonormalize(
      Ops tf, Operand<T> w, int maxIter, double beta, double eps) {
    if (w.shape().numDimensions() != 2 || w.shape().hasUnknownDimension()) {
      throw new IllegalArgumentException("Bjorck needs a matrix of known shape, got " + w.shape());
    }
    NormalizerParams.betaBjorck(beta);
    boolean tall = w.shape().get(0) > w.shape().get(1);
    Operand<T> onePlusBeta = GraphMath.scalar(tf, 1 + beta, w);
    Operand<T> betaC = GraphMath.scalar(tf, beta, w);
    Operand<T> done = GraphMath.scalar(tf, 0, w);
    for (int i = 0; i < maxIter; i++) {
      Operand<T> cube = tall
          ? tf.linalg.matMul(w, tf.linalg.matMul(w, w, MatMul.transposeA(true)))
          : tf.linalg.matMul(tf.linalg.matMul(w, w, MatMul.transposeB(true)), w);
      Operand<T> next = tf.math.sub(tf.math.mul(onePlusBeta, w), tf.math.mul(betaC, cube));
      Operand<T> doneNext = GraphMath.converged(tf, done, w, next, eps);
      w = GraphMath.keepIfDone(tf, done, w, next);
      done = doneNext;
    }
    return w;
  }
}
