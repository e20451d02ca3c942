package org.jlip.losses;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * The temperature-scaled cross-entropies: a graph-held tau (finite, > 0, no default since deel-lip has none).
 * Package-private; its public methods are reachable through the public losses.
 * <p>The public accessors are deliberately not final: javac then copies them as bridges into each public subclass,
 * so reflective callers outside the package (which cannot access this class) still reach them.
 */
abstract class TauLoss extends LipLoss {

  private final ScalarParameter tau;

  /** @throws IllegalArgumentException if tau is not finite and > 0 */
  TauLoss(String name, double tau, Reduction reduction) {
    super(name, reduction);
    this.tau = parameter("tau", tau, v -> LossChecks.positive("tau", v));
  }

  /** The constructor's tau (the initial value in every graph). */
  public double tau() {
    return tau.initial();
  }

  /** Sets tau in the session's graph (after {@code session.initialize()}). */
  public void setTau(Session session, double value) {
    tau.set(session, value);
  }

  /** tau as read in the graph of {@code tf}, cast to {@code type}. */
  final <T extends TNumber> Operand<T> readTau(Ops tf, Class<T> type) {
    return tau.read(tf, type);
  }
}
