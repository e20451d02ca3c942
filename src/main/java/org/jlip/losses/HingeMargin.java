package org.jlip.losses;

import org.tensorflow.Operand;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Hinge with margin (binary, or column-wise): h_i = (1/C) sum_k max(0, minMargin/2 - s_ik f_ik). Note the
 * half margin (deel-lip >= 1.4); the 2021 paper's full-margin hinge is {@code new HingeMargin(2 * m)}.
 * minMargin (default 1) is graph-held: see {@link LipLoss}.
 */
public final class HingeMargin extends MarginLoss {

  public static final double MIN_MARGIN_DEFAULT = 1.0;

  public HingeMargin() {
    this(MIN_MARGIN_DEFAULT);
  }

  public HingeMargin(Reduction reduction) {
    this(MIN_MARGIN_DEFAULT, reduction);
  }

  public HingeMargin(double minMargin) {
    this(minMargin, Reduction.AUTO);
  }

  /** @throws IllegalArgumentException if minMargin is negative, NaN or infinite */
  public HingeMargin(double minMargin, Reduction reduction) {
    super("HingeMargin", minMargin, reduction);
  }

  @Override
  <T extends TNumber> Operand<T> perSample(Ops tf, Operand<? extends TNumber> labels, Operand<T> predictions) {
    LossChecks.Checked<T> c = LossChecks.dense(tf, name(), labels, predictions, 1);
    Operand<T> s = LossTerms.signs(tf, LossTerms.positives(tf, c.labels()));
    return LossTerms.hinge(tf, s, c.predictions(), readMinMargin(tf, predictions.type()));
  }
}
