package org.jlip.losses;

import java.util.List;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/**
 * Soft multi-class Hinge-KR (deel-lip's MulticlassSoftHKR), stateful. Each evaluation of the graph (each session
 * run that fetches this loss's output) FIRST updates the running mean of |f|:
 * mu <- clip(alphaMean mu + (1 - alphaMean) mean(|f|), m, 2e4) (mu starts at minMargin; storing the clipped
 * value is deel-lip's behaviour and equals NUMERICS.md's formula while mu stays in [m, 2e4]), then
 * T = clip(temperature m / mu, 0.005, 250), F_ik = softmax over the non-true classes of T f_ik, F_iy = 1, and
 * l_i = (1/alpha) sum_k F_ik (-s_ik f_ik) + sum_k F_ik max(0, m/2 - s_ik f_ik). alpha = +infinity drops the KR
 * part. Gradients flow through F and T (as in deel-lip); the update itself carries none.
 *
 * <p>State: one float64 variable per graph ({@link #stateVariables(Graph)}), initialised by
 * {@code session.initialize()}, non-trainable, to be checkpointed with the model. Each call of the loss in a
 * graph adds its own update op: fetch one loss output per run, or mu moves once per fetched output.
 * Parameters are graph-held as in {@link LipLoss}. Defaults: alpha 10, minMargin 1, alphaMean 0.99,
 * temperature 1.
 */
public final class MulticlassSoftHKR extends AlphaMarginLoss {

  public static final double ALPHA_DEFAULT = 10.0;
  public static final double MIN_MARGIN_DEFAULT = 1.0;
  public static final double ALPHA_MEAN_DEFAULT = 0.99;
  public static final double TEMPERATURE_DEFAULT = 1.0;
  /** Upper clip of the running mean (deel-lip). */
  static final double MEAN_MAX = 2e4;
  static final double TEMPERATURE_MIN = 0.005;
  static final double TEMPERATURE_MAX = 250;

  private final ScalarParameter alphaMean;
  private final ScalarParameter temperature;
  private final ScalarParameter runningMean;

  public MulticlassSoftHKR() {
    this(Reduction.AUTO);
  }

  public MulticlassSoftHKR(Reduction reduction) {
    this(ALPHA_DEFAULT, MIN_MARGIN_DEFAULT, ALPHA_MEAN_DEFAULT, TEMPERATURE_DEFAULT, reduction);
  }

  public MulticlassSoftHKR(double alpha, double minMargin) {
    this(alpha, minMargin, ALPHA_MEAN_DEFAULT, TEMPERATURE_DEFAULT);
  }

  public MulticlassSoftHKR(double alpha, double minMargin, double alphaMean, double temperature) {
    this(alpha, minMargin, alphaMean, temperature, Reduction.AUTO);
  }

  /**
   * @throws IllegalArgumentException if alpha is not > 0 (infinity allowed), minMargin not finite >= 0,
   *     alphaMean not in [0, 1) or temperature not finite > 0
   */
  public MulticlassSoftHKR(double alpha, double minMargin, double alphaMean, double temperature,
      Reduction reduction) {
    super("MulticlassSoftHKR", alpha, minMargin, reduction);
    this.alphaMean = parameter("alphaMean", alphaMean, v -> LossChecks.unitInterval("alphaMean", v));
    this.temperature = parameter("temperature", temperature, v -> LossChecks.positive("temperature", v));
    this.runningMean = parameter("runningMean", minMargin, v -> LossChecks.nonNegative("runningMean", v));
  }

  public double alphaMean() {
    return alphaMean.initial();
  }

  public double temperature() {
    return temperature.initial();
  }

  public void setAlphaMean(Session session, double value) {
    alphaMean.set(session, value);
  }

  public void setTemperature(Session session, double value) {
    temperature.set(session, value);
  }

  /** The running mean mu in the session's graph. */
  public double runningMean(Session session) {
    return runningMean.get(session);
  }

  /** Sets mu in the session's graph, e.g. back to minMargin to restart the average. */
  public void setRunningMean(Session session, double value) {
    runningMean.set(session, value);
  }

  /** The state variable (mu) in {@code graph}: non-trainable; empty if the loss was never called there. */
  public List<Variable<TFloat64>> stateVariables(Graph graph) {
    return runningMean.variable(graph).map(List::of).orElse(List.of());
  }

  @Override
  <T extends TNumber> Operand<T> perSample(Ops tf, Operand<? extends TNumber> labels, Operand<T> predictions) {
    LossChecks.Checked<T> c = LossChecks.dense(tf, name(), labels, predictions, 2);
    Class<T> type = predictions.type();
    Operand<T> f = c.predictions();
    Operand<T> pos = LossTerms.positives(tf, c.labels());
    Operand<T> s = LossTerms.signs(tf, pos);
    Operand<T> m = readMinMargin(tf, type);
    Operand<T> a = alphaMean.read(tf, type);
    Operand<T> one = LossTerms.scalar(tf, 1, type);

    Operand<T> meanAbs = tf.math.mean(tf.math.abs(f), tf.constant(new int[] {0, 1}));
    Operand<T> mu = tf.clipByValue(
        tf.math.add(tf.math.mul(a, runningMean.read(tf, type)), tf.math.mul(tf.math.sub(one, a), meanAbs)),
        m, LossTerms.scalar(tf, MEAN_MAX, type));
    Op update = runningMean.assign(tf, tf.stopGradient(mu));
    Operand<T> temp = tf.clipByValue(tf.math.div(tf.math.mul(temperature.read(tf, type), m), mu),
        LossTerms.scalar(tf, TEMPERATURE_MIN, type), LossTerms.scalar(tf, TEMPERATURE_MAX, type));

    Operand<T> weights = tf.math.add(pos, LossTerms.softmaxOthers(tf, pos, tf.math.mul(temp, f)));
    Operand<T> sf = tf.math.mul(s, f);
    Operand<T> kr = LossTerms.rowSum(tf, tf.math.mul(weights, tf.math.neg(sf)));
    Operand<T> hinge = LossTerms.rowSum(tf, tf.math.mul(weights, LossTerms.hingeElements(tf, s, f, m)));
    // 1/alpha is 0 for alpha = +infinity: the hinge part alone, as documented.
    Operand<T> l = tf.math.add(tf.math.div(kr, readAlpha(tf, type)), hinge);
    return tf.withControlDependencies(List.of(update)).identity(l);
  }
}
