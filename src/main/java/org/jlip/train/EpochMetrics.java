package org.jlip.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Arrays;
import java.util.List;

/**
 * What one epoch measured. Certificates on the validation set are computed twice: with the model's nominal
 * Lipschitz constant (what deel-lip reports) and with the bound measured from the weights (sound). An epoch
 * that was not validated ({@link TrainOptions#validationFreq()}) has only its training figures: every
 * validation field is null, and absent from the metrics file.
 *
 * @param provableRobustAccuracy at each of {@code eps}, with the measured bound
 * @param provableRobustAccuracyNominal at each of {@code eps}, with the nominal bound
 * @param meanRadius mean of max(radius, 0) against the true labels, measured bound
 * @param seconds the epoch's training steps, validation excluded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EpochMetrics(
    int epoch,
    double trainLoss,
    Double valLoss,
    Double valAccuracy,
    Double valKr,
    List<Double> eps,
    List<Double> provableRobustAccuracy,
    List<Double> provableRobustAccuracyNominal,
    Double meanRadius,
    Double meanRadiusNominal,
    Double lipschitzNominal,
    Double lipschitzMeasured,
    double learningRate,
    double seconds,
    double medianStepMs) {

  /** An epoch without validation. */
  static EpochMetrics trainingOnly(int epoch, double trainLoss, double learningRate, double seconds,
      double medianStepMs) {
    return new EpochMetrics(epoch, trainLoss, null, null, null, null, null, null, null, null, null, null,
        learningRate, seconds, medianStepMs);
  }

  /** This epoch's training figures with {@code ev}'s validation. */
  EpochMetrics validatedBy(Evaluation ev, List<Double> eps) {
    return new EpochMetrics(epoch, trainLoss, ev.loss(), ev.accuracy(), ev.kr(), eps,
        list(ev.measured().provableRobustAccuracy()), list(ev.nominal().provableRobustAccuracy()),
        ev.measured().provableAverageRobustness(), ev.nominal().provableAverageRobustness(),
        ev.bound().nominal(), ev.bound().measured(), learningRate, seconds, medianStepMs);
  }

  private static List<Double> list(double[] v) {
    return Arrays.stream(v).boxed().toList();
  }

  /** Whether this epoch ran a validation (its validation fields are set). */
  public boolean validated() {
    return valLoss != null;
  }
}
