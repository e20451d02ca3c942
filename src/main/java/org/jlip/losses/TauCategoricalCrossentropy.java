package org.jlip.losses;

import org.tensorflow.Operand;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Softmax cross-entropy at temperature 1/tau, rescaled: l_i = CE(softmax(tau f_i), y_i) / tau, with one-hot
 * labels ({0,1} or {-1,1}; positives y > 0). Computed as (logsumexp(tau f) - tau f_y) / tau, a dense expression
 * with a gradient everywhere. tau (no default, must be > 0) is graph-held (see {@link LipLoss}).
 */
public final class TauCategoricalCrossentropy extends TauLoss {

  public TauCategoricalCrossentropy(double tau) {
    this(tau, Reduction.AUTO);
  }

  /** @throws IllegalArgumentException if tau is not finite and > 0 */
  public TauCategoricalCrossentropy(double tau, Reduction reduction) {
    super("TauCategoricalCrossentropy", tau, reduction);
  }

  @Override
  <T extends TNumber> Operand<T> perSample(Ops tf, Operand<? extends TNumber> labels, Operand<T> predictions) {
    LossChecks.Checked<T> c = LossChecks.dense(tf, name(), labels, predictions, 2);
    Operand<T> t = readTau(tf, predictions.type());
    return LossTerms.tauSoftmaxCrossEntropy(tf, LossTerms.positives(tf, c.labels()), c.predictions(), t);
  }
}
