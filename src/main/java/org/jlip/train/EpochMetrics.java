package org.jlip.train;

import java.util.List;

/**
 * What one epoch measured. Certificates on the validation set are computed twice: with the model's nominal
 * Lipschitz constant (what deel-lip reports) and with the bound measured from the weights (sound).
 *
 * @param provableRobustAccuracy at each of {@code eps}, with the measured bound
 * @param provableRobustAccuracyNominal at each of {@code eps}, with the nominal bound
 * @param meanRadius mean of max(radius, 0) against the true labels, measured bound
 */
public record EpochMetrics(
    int epoch,
    double trainLoss,
    double valLoss,
    double valAccuracy,
    double valKr,
    List<Double> eps,
    List<Double> provableRobustAccuracy,
    List<Double> provableRobustAccuracyNominal,
    double meanRadius,
    double meanRadiusNominal,
    double lipschitzNominal,
    double lipschitzMeasured,
    double learningRate,
    double seconds,
    double medianStepMs) {}
