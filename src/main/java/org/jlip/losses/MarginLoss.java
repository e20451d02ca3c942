package org.jlip.losses;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * The losses with a graph-held minMargin (finite, >= 0): the hinge family and, through {@link AlphaMarginLoss},
 * the Hinge-KR family. Package-private so that the public losses stay the only types users see; its public
 * methods are reachable through them.
 * <p>The public accessors are deliberately not final: javac then copies them as bridges into each public subclass,
 * so reflective callers outside the package (which cannot access this class) still reach them.
 */
abstract class MarginLoss extends LipLoss {

  private final ScalarParameter minMargin;

  /** @throws IllegalArgumentException if minMargin is negative, NaN or infinite */
  MarginLoss(String name, double minMargin, Reduction reduction) {
    this(name, null, minMargin, reduction);
  }

  /**
   * {@code first} (already validated, may be null) is registered before minMargin so that the Hinge-KR losses
   * keep their (alpha, minMargin) order in messages and variable lists.
   *
   * @throws IllegalArgumentException if minMargin is negative, NaN or infinite
   */
  MarginLoss(String name, ScalarParameter first, double minMargin, Reduction reduction) {
    super(name, reduction);
    if (first != null) {
      register(first);
    }
    this.minMargin = parameter("minMargin", minMargin, v -> LossChecks.nonNegative("minMargin", v));
  }

  /** The constructor's minMargin (the initial value in every graph). */
  public double minMargin() {
    return minMargin.initial();
  }

  /** Sets minMargin in the session's graph (after {@code session.initialize()}). */
  public void setMinMargin(Session session, double value) {
    minMargin.set(session, value);
  }

  /** minMargin as read in the graph of {@code tf}, cast to {@code type}. */
  final <T extends TNumber> Operand<T> readMinMargin(Ops tf, Class<T> type) {
    return minMargin.read(tf, type);
  }
}
