package org.jlip.losses;

import org.tensorflow.Operand;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Multi-class hinge over one-hot columns: h_i = (1/C) sum_k w_ik max(0, minMargin/2 - s_ik f_ik) with
 * w = C-1 on the true class and 1 elsewhere (deel-lip >= 1.4). Default minMargin = 1, graph-held (see
 * {@link LipLoss}).
 */
public final class MulticlassHinge extends MarginLoss {

  public static final double MIN_MARGIN_DEFAULT = 1.0;

  public MulticlassHinge() {
    this(MIN_MARGIN_DEFAULT);
  }

  public MulticlassHinge(Reduction reduction) {
    this(MIN_MARGIN_DEFAULT, reduction);
  }

  public MulticlassHinge(double minMargin) {
    this(minMargin, Reduction.AUTO);
  }

  /** @throws IllegalArgumentException if minMargin is negative, NaN or infinite */
  public MulticlassHinge(double minMargin, Reduction reduction) {
    super("MulticlassHinge", minMargin, reduction);
  }

  @Override
  <T extends TNumber> Operand<T> perSample(Ops tf, Operand<? extends TNumber> labels, Operand<T> predictions) {
    LossChecks.Checked<T> c = LossChecks.dense(tf, name(), labels, predictions, 2);
    Operand<T> pos = LossTerms.positives(tf, c.labels());
    Operand<T> f = c.predictions();
    return LossTerms.multiclassHinge(tf, pos, LossTerms.signs(tf, pos), f, readMinMargin(tf, f.type()));
  }
}
