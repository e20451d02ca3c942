package org.jlip.losses;

import org.tensorflow.Operand;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Multi-class Hinge-KR: l_i = -kr_i + alpha * h_i with kr from {@link MulticlassKR} and h from
 * {@link MulticlassHinge} (half margin, true class weighted C-1). alpha = +infinity gives the hinge term
 * alone. Defaults alpha = 10, minMargin = 1; both are graph-held (see {@link LipLoss}).
 */
public final class MulticlassHKR extends AlphaMarginLoss {

  public static final double ALPHA_DEFAULT = 10.0;
  public static final double MIN_MARGIN_DEFAULT = 1.0;

  public MulticlassHKR() {
    this(ALPHA_DEFAULT, MIN_MARGIN_DEFAULT);
  }

  public MulticlassHKR(Reduction reduction) {
    this(ALPHA_DEFAULT, MIN_MARGIN_DEFAULT, reduction);
  }

  public MulticlassHKR(double alpha, double minMargin) {
    this(alpha, minMargin, Reduction.AUTO);
  }

  /** @throws IllegalArgumentException if alpha is not > 0 (infinity allowed) or minMargin is not finite >= 0 */
  public MulticlassHKR(double alpha, double minMargin, Reduction reduction) {
    super("MulticlassHKR", alpha, minMargin, reduction);
  }

  @Override
  <T extends TNumber> Operand<T> perSample(Ops tf, Operand<? extends TNumber> labels, Operand<T> predictions) {
    LossChecks.Checked<T> c = LossChecks.dense(tf, name(), labels, predictions, 2);
    Operand<T> pos = LossTerms.positives(tf, c.labels());
    Operand<T> f = c.predictions();
    Operand<T> kr = LossTerms.kr(tf, pos, f);
    Operand<T> h = LossTerms.multiclassHinge(tf, pos, LossTerms.signs(tf, pos), f,
        readMinMargin(tf, f.type()));
    return LossTerms.hkr(tf, readAlpha(tf, f.type()), kr, h);
  }
}
