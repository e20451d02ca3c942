package org.jlip.losses;

import org.tensorflow.Operand;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Kantorovich-Rubinstein dual term (binary, or column-wise), as a loss to maximise:
 * kr_i = (1/C) sum_k B f_ik (pos_ik/(n_k + 1e-7) - (1 - pos_ik)/(B - n_k + 1e-7)); its batch mean is the
 * Wasserstein-1 estimate mean_P(f) - mean_notP(f). The batch must hold both classes. No parameters.
 */
public final class KR extends LipLoss {

  public KR() {
    this(Reduction.AUTO);
  }

  public KR(Reduction reduction) {
    super("KR", reduction);
  }

  @Override
  <T extends TNumber> Operand<T> perSample(Ops tf, Operand<? extends TNumber> labels, Operand<T> predictions) {
    LossChecks.Checked<T> c = LossChecks.dense(tf, name(), labels, predictions, 1);
    return LossTerms.kr(tf, LossTerms.positives(tf, c.labels()), c.predictions());
  }
}
