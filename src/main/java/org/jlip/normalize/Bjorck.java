package org.jlip.normalize;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.family.TFloating;

/**
 * Bjorck orthonormalisation: W <- (1 + beta) W - beta W W^T W, which drives every singular value of a matrix
 * whose spectral norm is at most 1 towards 1, stopped as deel-lip stops it: after the first iteration that moves
 * W by less than eps (||W_{t+1} - W_t||_F < eps), or after {@code maxIter}.
 *
 * <p>Computed in the smaller Gram matrix. For a tall W (more rows than columns) with S = W^T W, one iteration is
 * W_{t+1} = W_t P_t with P_t = (1 + beta) I - beta S_t, a polynomial in S_t, so S_{t+1} = P_t S_t P_t and
 * W_t = W_0 P_0 P_1 ... P_{t-1}; its move is ||W_t (P_t - I)||_F^2 = sum((P_t - I) o (S_t P_t - S_t)). A wide W
 * multiplies from the left with S = W W^T. The iterations then cost three n x n products (n the smaller side)
 * instead of two products with W (m x n): for SpectralDense 1568 -> 64, two large products in all instead of
 * thirty. The maths is deel-lip's; only the rounding differs. Near-square matrices (3n >= 2m), where the Gram
 * form would cost more, iterate on W directly, with the same stop.
 *
 * <p>Unrolled {@code maxIter} times (TensorFlow Java 1.1.0 has no differentiable while loop); gradients flow
 * through every iteration. The stop is reproduced by masking: once reached, the following iterations multiply by
 * P = I, which leaves S and the accumulated product unchanged, so their gradient is the identity.
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
    if (maxIter == 0) {
      return w;
    }
    long small = Math.min(w.shape().get(0), w.shape().get(1));
    long large = Math.max(w.shape().get(0), w.shape().get(1));
    // Per iteration the Gram form costs 3 n^3 multiply-adds, the direct one 2 m n^2 (n <= m the sides).
    return 3 * small < 2 * large ? gramForm(tf, w, (int) small, maxIter, beta, eps)
        : direct(tf, w, maxIter, beta, eps);
  }

  /** n: the smaller side of w, the Gram matrix's size. */
  private static <T extends TFloating> Operand<T> gramForm(Ops tf, Operand<T> w, int n, int maxIter, double beta,
      double eps) {
    boolean tall = w.shape().get(0) > w.shape().get(1);
    Operand<T> eye = identity(tf, n, w);
    Operand<T> betaC = GraphMath.scalar(tf, beta, w);
    Operand<T> one = GraphMath.scalar(tf, 1, w);
    Operand<T> gram = tall
        ? tf.linalg.matMul(w, w, MatMul.transposeA(true))
        : tf.linalg.matMul(w, w, MatMul.transposeB(true));
    Operand<T> product = eye;
    Operand<T> done = GraphMath.scalar(tf, 0, w);
    for (int i = 0; i < maxIter; i++) {
      // P = I + D with D = beta (I - S); once done, P = I exactly, which leaves S and the product as they are.
      Operand<T> d = tf.math.mul(betaC, tf.math.sub(eye, gram));
      Operand<T> p = tf.math.add(eye, tf.math.mul(tf.math.sub(one, done), d));
      Operand<T> gramP = tf.linalg.matMul(gram, p);
      Operand<T> move = tf.reduceSum(tf.math.mul(d, tf.math.sub(gramP, gram)), GraphMath.allAxes(tf, gram));
      done = GraphMath.convergedSquared(tf, done, move, eps);
      gram = tf.linalg.matMul(p, gramP);
      product = tall ? tf.linalg.matMul(product, p) : tf.linalg.matMul(p, product);
    }
    return tall ? tf.linalg.matMul(w, product) : tf.linalg.matMul(product, w);
  }

  /** deel-lip's loop on W itself, masked the same way. */
  private static <T extends TFloating> Operand<T> direct(Ops tf, Operand<T> w, int maxIter, double beta,
      double eps) {
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

  private static <T extends TFloating> Operand<T> identity(Ops tf, int n, Operand<T> like) {
    float[][] eye = new float[n][n];
    for (int i = 0; i < n; i++) {
      eye[i][i] = 1;
    }
    return tf.dtypes.cast(tf.constant(eye), like.type());
  }
}
