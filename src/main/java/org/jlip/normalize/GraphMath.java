package org.jlip.normalize;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/** Small graph helpers shared by the normalisers, generic over float32 and float64. */
public final class GraphMath {
  private GraphMath() {}

  /** A scalar constant of {@code x}'s type. */
  public static <T extends TFloating> Operand<T> scalar(Ops tf, double value, Operand<T> like) {
    return tf.dtypes.cast(tf.constant(value), like.type());
  }

  /**
   * ||x|| = sqrt(sum(x^2)) over every axis (a scalar). Written out because EuclideanNorm has no gradient in
   * TensorFlow Java 1.1.0.
   */
  public static <T extends TFloating> Operand<T> l2(Ops tf, Operand<T> x) {
    return tf.math.sqrt(tf.reduceSum(tf.math.square(x), allAxes(tf, x)));
  }

  /** The axes 0..rank-1 of {@code x} (its rank must be known when the graph is built). */
  static Operand<TInt32> allAxes(Ops tf, Operand<?> x) {
    int rank = x.shape().numDimensions();
    if (rank < 0) {
      throw new IllegalArgumentException("operand of unknown rank: " + x.shape());
    }
    int[] axes = new int[rank];
    for (int i = 0; i < rank; i++) {
      axes[i] = i;
    }
    return tf.constant(axes);
  }

  /**
   * One masked step of an unrolled loop with an early stop: returns {@code next} while not {@code done}, else
   * {@code current}, i.e. next + done * (current - next). {@code done} is 0 or 1 and carries no gradient.
   */
  static <T extends TFloating> Operand<T> keepIfDone(Ops tf, Operand<T> done, Operand<T> current, Operand<T> next) {
    return tf.math.add(next, tf.math.mul(done, tf.math.sub(current, next)));
  }

  /**
   * done' = max(done, [d2 < eps^2]) for a squared distance {@code d2} (rounding may leave it slightly below 0:
   * that is a distance of 0), without gradient.
   */
  static <T extends TFloating> Operand<T> convergedSquared(
      Ops tf, Operand<T> done, Operand<T> distanceSquared, double eps) {
    Operand<T> d2 = tf.stopGradient(distanceSquared);
    Operand<T> now = tf.dtypes.cast(tf.math.less(d2, scalar(tf, eps * eps, d2)), d2.type());
    return tf.math.maximum(done, now);
  }

  /** done' = max(done, [||next - current|| < eps]), without gradient. */
  static <T extends TFloating> Operand<T> converged(
      Ops tf, Operand<T> done, Operand<T> current, Operand<T> next, double eps) {
    Operand<T> diff = l2(tf, tf.stopGradient(tf.math.sub(next, current)));
    Operand<T> now = tf.dtypes.cast(tf.math.less(diff, scalar(tf, eps, diff)), diff.type());
    return tf.math.maximum(done, now);
  }
}
