package org.jlip.normalize;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.family.TFloating;

/** Frobenius normalisations (deel-lip FrobeniusDense / FrobeniusConv2D); no power iteration. */
public final class FrobeniusNormalization {
  private FrobeniusNormalization() {}

  /** W / ||W||_F with ||W||_F = sqrt(sum(W^2)) over every axis: spectral norm <= 1. */
  public static <T extends TFloating> Operand<T> whole(Ops tf, Operand<T> w) {
    return tf.math.div(w, GraphMath.l2(tf, w));
  }

  /**
   * W[.., j] / ||W[.., j]|| for each output unit j (the last axis): every output is a 1-Lipschitz function on
   * its own (disjoint neurons).
   */
  public static <T extends TFloating> Operand<T> perOutput(Ops tf, Operand<T> w) {
    int rank = w.shape().numDimensions();
    int[] axes = new int[rank - 1];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i;
    }
    Operand<T> norms = tf.math.sqrt(tf.reduceSum(tf.math.square(w), tf.constant(axes),
        ReduceSum.keepDims(true)));
    return tf.math.div(w, norms);
  }
}
