package org.jlip.model;

import java.util.List;

/**
 * deel-lip's LossParamScheduler: a loss parameter as a piecewise-linear function of the training step, set
 * before each step. Step s (from 0, counted over the whole run) takes numpy.interp(s, steps, values): values[0]
 * up to steps[0], the last value from the last step on, linear in between.
 *
 * @param param the loss parameter, named as in the loss block (alpha, minMargin, tau, alphaMean, temperature)
 * @param steps strictly increasing steps, at least one, none negative (deel-lip's xp)
 * @param values the parameter at those steps, finite (deel-lip's fp)
 */
public record LossParamSchedule(String param, List<Long> steps, List<Double> values) {

  public LossParamSchedule {
    if (param == null || param.isBlank()) {
      throw new IllegalArgumentException("a loss schedule needs the param it sets");
    }
    if (steps == null || values == null || steps.isEmpty() || steps.size() != values.size()) {
      throw new IllegalArgumentException("loss schedule of " + param + ": steps and values must be non-empty"
          + " lists of one length, got " + steps + " and " + values);
    }
    steps = List.copyOf(steps);
    values = List.copyOf(values);
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i) < 0 || i > 0 && steps.get(i) <= steps.get(i - 1)) {
        throw new IllegalArgumentException("loss schedule of " + param + ": steps must be >= 0 and strictly"
            + " increasing, got " + steps);
      }
      if (!Double.isFinite(values.get(i))) {
        throw new IllegalArgumentException("loss schedule of " + param + ": values must be finite, got " + values);
      }
    }
  }

  /** The parameter at {@code step}. */
  public double at(long step) {
    int last = steps.size() - 1;
    if (step <= steps.get(0)) {
      return values.get(0);
    }
    if (step >= steps.get(last)) {
      return values.get(last);
    }
    int i = 1;
    while (steps.get(i) < step) {
      i++;
    }
    double t = (double) (step - steps.get(i - 1)) / (steps.get(i) - steps.get(i - 1));
    return values.get(i - 1) + t * (values.get(i) - values.get(i - 1));
  }
}
