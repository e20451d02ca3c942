package org.jlip.losses;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * The Hinge-KR losses: a {@link MarginLoss} with a graph-held alpha (> 0, +infinity allowed for the hinge term
 * alone), registered before minMargin as deel-lip lists them.
 */
abstract class AlphaMarginLoss extends MarginLoss {

  private final ScalarParameter alpha;

  /** @throws IllegalArgumentException if alpha is not > 0 (infinity allowed) or minMargin is not finite >= 0 */
  AlphaMarginLoss(String name, double alpha, double minMargin, Reduction reduction) {
    // alpha is validated first (a bad alpha is reported before a bad minMargin), then handed to the base.
    this(name, new ScalarParameter(name, "alpha", alpha, v -> LossChecks.alpha("alpha", v)), minMargin,
        reduction);
  }

  private AlphaMarginLoss(String name, ScalarParameter alpha, double minMargin, Reduction reduction) {
    super(name, alpha, minMargin, reduction);
    this.alpha = alpha;
  }

  /** The constructor's alpha (the initial value in every graph). */
  public double alpha() {
    return alpha.initial();
  }

  /** Sets alpha in the session's graph (after {@code session.initialize()}); infinity allowed. */
  public void setAlpha(Session session, double value) {
    alpha.set(session, value);
  }

  /** alpha as read in the graph of {@code tf}, cast to {@code type}. */
  final <T extends TNumber> Operand<T> readAlpha(Ops tf, Class<T> type) {
    return alpha.read(tf, type);
  }
}
