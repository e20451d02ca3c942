package org.jlip.losses;

import org.tensorflow.Operand;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Multi-class Kantorovich-Rubinstein term over one-hot columns (one-vs-all), to maximise:
 * kr_i = (1/C) sum_k B f_ik (pos_ik/(n_k + 1e-7) - (1 - pos_ik)/(B - n_k + 1e-7)); its batch mean is the
 * mean over classes of mean_P(f) - mean_notP(f). Needs at least 2 columns. No parameters.
 */
public final class MulticlassKR extends LipLoss {

  public MulticlassKR() {
    this(Reduction.AUTO);
  }

  public MulticlassKR(Reduction reduction) {
    super("MulticlassKR", reduction);
  }

  @Override
  <T extends TNumber> Operand<T> perSample(Ops tf, Operand<? extends TNumber> labels, Operand<T> predictions) {
    LossChecks.Checked<T> c = LossChecks.dense(tf, name(), labels, predictions, 2);
    return LossTerms.kr(tf, LossTerms.positives(tf, c.labels()), c.predictions());
  }
}
