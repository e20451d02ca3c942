package org.jlip.losses;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleConsumer;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.framework.losses.Loss;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/**
 * Base of the jlip losses: a {@link Loss} computing one value per sample, then applying its {@link Reduction}
 * (NONE: [batch]; SUM; SUM_OVER_BATCH_SIZE and AUTO: the mean) after optional sample weights.
 *
 * <p><b>Parameters in the graph.</b> Every numeric parameter (minMargin, alpha, tau...) lives in the graph as a
 * non-trainable float64 scalar variable, created the first time the loss is called in a graph and initialised
 * to the constructor's value by {@code session.initialize()}. A schedule changes it between steps with the
 * loss's setter, e.g. {@code hkr.setAlpha(session, 50.0)}, which runs an assign op in the session's graph: no
 * graph rebuild. One instance may be called in several graphs (each gets its own variables) and several times
 * in one graph (the calls share them). {@link #variables(Graph)} lists them so a trainer can leave them out of
 * its gradients and checkpoint them with the model; they are named {@code jlip_<Loss>_<parameter>}.
 *
 * <p>Labels: binary {0,1} or {-1,1} (a label > 0 is positive), multi-class one-hot in either encoding. Shapes:
 * [batch, columns]; rank-1 predictions or labels of a one-column loss are treated as one column.
 */
public abstract class LipLoss implements Loss {

  private final String name;
  private final Reduction reduction;
  private final List<ScalarParameter> holders = new ArrayList<>();

  LipLoss(String name, Reduction reduction) {
    this.name = name;
    this.reduction = Objects.requireNonNull(reduction, "reduction");
  }

  /** Registers a graph-held parameter (validated now and at every set). */
  final ScalarParameter parameter(String parameterName, double value, DoubleConsumer validator) {
    return register(new ScalarParameter(name, parameterName, value, validator));
  }

  /**
   * Registers a parameter made before this loss's constructor ran, for the bases that must list a subclass's
   * parameter (alpha) before their own (minMargin): the order shows in {@link #toString()} and
   * {@link #variables(Graph)}.
   */
  final ScalarParameter register(ScalarParameter p) {
    holders.add(p);
    return p;
  }

  /**
   * Sets the parameter {@code parameterName} (alpha, minMargin, tau, alphaMean, temperature: as in a model file's
   * loss block) in the session's graph, for schedules.
   *
   * @throws IllegalArgumentException when this loss has no such parameter, or the value is invalid for it
   */
  public final void set(Session session, String parameterName, double value) {
    for (ScalarParameter p : holders) {
      if (p.name().equals(parameterName)) {
        p.set(session, value);
        return;
      }
    }
    throw new IllegalArgumentException(name + " has no parameter " + parameterName + "; it has "
        + holders.stream().map(ScalarParameter::name).toList());
  }

  /** The reduction applied after the per-sample values. */
  public final Reduction reduction() {
    return reduction;
  }

  /** The loss's name, as used in messages and variable names. */
  public final String name() {
    return name;
  }

  /**
   * The loss's graph-side variables (parameters and, for stateful losses, state) in {@code graph}; empty when
   * the loss was never called there. None of them is trainable.
   */
  public final List<Variable<TFloat64>> variables(Graph graph) {
    List<Variable<TFloat64>> out = new ArrayList<>();
    for (ScalarParameter p : holders) {
      p.variable(graph).ifPresent(out::add);
    }
    return out;
  }

  @Override
  public final <T extends TNumber> Operand<T> call(Ops tf, Operand<? extends TNumber> labels,
      Operand<T> predictions, Operand<T> sampleWeights) {
    ScalarParameter.graphOf(tf);
    return LossTerms.reduce(tf, perSample(tf, labels, predictions), sampleWeights, reduction);
  }

  /** One value per sample, [batch]. */
  abstract <T extends TNumber> Operand<T> perSample(Ops tf, Operand<? extends TNumber> labels,
      Operand<T> predictions);

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name).append('(');
    for (ScalarParameter p : holders) {
      sb.append(p.name()).append('=').append(p.initial()).append(", ");
    }
    return sb.append("reduction=").append(reduction).append(')').toString();
  }
}
