package org.jlip.export;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Serving-time certificate ops for the predicted class (no true label). Kept package-private here because
 * org.jlip.certify's graph ops were not on main when the exporter was written; they compute the same formulas.
 */
final class CertifyOps {

  private CertifyOps() {}

  /** Predicted class: argmax_k f_k; a single logit f gives 1 if f > 0 else 0. Shape [N], int64. */
  static Operand<TInt64> predictedLabel(Ops tf, Operand<TFloat32> logits, int classes) {
    if (classes == 1) {
      return tf.dtypes.cast(tf.math.greater(flat(tf, logits), tf.constant(0f)), TInt64.class);
    }
    return tf.math.argMax(logits, tf.constant(1), TInt64.class);
  }

  /**
   * Certified radius of the predicted class, shape [N], >= 0: (f_(1) - f_(2)) / (divisor * L) with f_(1), f_(2)
   * the two largest logits; a single logit: |f| / L.
   */
  static Operand<TFloat32> radius(
      Ops tf, Operand<TFloat32> logits, int classes, double lipschitz, CertificateRule rule) {
    if (classes == 1) {
      return tf.math.div(tf.math.abs(flat(tf, logits)), tf.constant((float) lipschitz));
    }
    TopK<TFloat32, TInt32> top = tf.nn.topK(logits, tf.constant(2), new TopK.Options[0]);
    Operand<TFloat32> margin = tf.math.sub(
        tf.max(top.values(), tf.constant(1)), tf.min(top.values(), tf.constant(1)));
    return tf.math.div(margin, tf.constant((float) (rule.divisor() * lipschitz)));
  }

  private static Operand<TFloat32> flat(Ops tf, Operand<TFloat32> logits) {
    return tf.reshape(logits, tf.constant(new long[] {-1}));
  }
}
