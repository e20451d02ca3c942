package org.jlip.losses;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Multi-class Hinge-KR: l_i = -kr_i + alpha * h_i with kr from {@link MulticlassKR} and h from
 * {@link MulticlassHinge} (half margin, true class weighted C-1). alpha = +infinity gives the hinge term
 * alone. Defaults alpha = 10, minMargin = 1; both are graph-held (see {@link LipLoss}).
 */
public final class MulticlassHKR extends LipLoss {

  public static final double ALPHA_DEFAULT = 10.0;
  public static final double MIN_MARGIN_DEFAULT = 1.0;

  private final ScalarParameter alpha;
  private final ScalarParameter minMargin;

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
    super("MulticlassHKR", reduction);
    this.alpha = parameter("alpha", alpha, v -> LossChecks.alpha("alpha", v));
    this.minMargin = parameter("minMargin", minMargin, v -> LossChecks.nonNegative("minMargin", v));
  }

  public double alpha() {
    return alpha.initial();
  }

  public double minMargin() {
    return minMargin.initial();
  }

  /** Sets alpha in the session's graph (after {@code session.initialize()}); infinity allowed. */
  public void setAlpha(Session session, double value) {
    alpha.set(session, value);
  }

  /** Sets minMargin in the session's graph (after {@code session.initialize()}). */
  public void setMinMargin(Session session, double value) {
    minMargin.set(session, value);
  }

  @Override
  <T extends TNumber> Operand<T> perSample(Ops tf, Operand<? extends TNumber> labels, Operand<T> predictions) {
    LossChecks.Checked<T> c = LossChecks.dense(tf, name(), labels, predictions, 2);
    Operand<T> pos = LossTerms.positives(tf, c.labels());
    Operand<T> f = c.predictions();
    Operand<T> kr = LossTerms.kr(tf, pos, f);
    Operand<T> h = LossTerms.multiclassHinge(tf, pos, LossTerms.signs(tf, pos), f,
        minMargin.read(tf, f.type()));
    return LossTerms.hkr(tf, alpha.read(tf, f.type()), kr, h);
  }
}
