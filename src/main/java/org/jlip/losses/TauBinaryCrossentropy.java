package org.jlip.losses;

import org.tensorflow.Operand;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Binary cross-entropy on logits at temperature 1/tau, rescaled: l_i = (1/C) sum_k BCE(tau f_ik, y_ik > 0) / tau,
 * computed stably as max(z, 0) - z pos + log1p(exp(-|z|)), z = tau f. Labels {0,1} or {-1,1}. tau (no default,
 * must be > 0) is graph-held (see {@link LipLoss}).
 */
public final class TauBinaryCrossentropy extends TauLoss {

  public TauBinaryCrossentropy(double tau) {
    this(tau, Reduction.AUTO);
  }

  /** @throws IllegalArgumentException if tau is not finite and > 0 */
  public TauBinaryCrossentropy(double tau, Reduction reduction) {
    super("TauBinaryCrossentropy", tau, reduction);
  }

  @Override
  <T extends TNumber> Operand<T> perSample(Ops tf, Operand<? extends TNumber> labels, Operand<T> predictions) {
    LossChecks.Checked<T> c = LossChecks.dense(tf, name(), labels, predictions, 1);
    Operand<T> t = readTau(tf, predictions.type());
    Operand<T> pos = LossTerms.positives(tf, c.labels());
    Operand<T> z = tf.math.mul(t, c.predictions());
    Operand<T> bce = tf.math.add(tf.math.sub(tf.nn.relu(z), tf.math.mul(z, pos)),
        tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(z)))));
    return tf.math.div(LossTerms.rowMean(tf, bce), t);
  }
}
