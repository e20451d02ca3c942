package org.jlip.certify;

/**
 * Summary of per-sample radii.
 *
 * @param accuracy fraction with radius > 0 (with radii against the true label: the clean accuracy, a tie counted
 *     as an error)
 * @param eps the epsilons asked for
 * @param provableRobustAccuracy per epsilon, the fraction with radius > eps
 * @param provableAverageRobustness mean of max(radius, 0): the reports' mean certified radius
 * @param meanRadius plain mean, negative radii (misclassified samples) kept
 */
public record RobustnessSummary(double accuracy, double[] eps, double[] provableRobustAccuracy,
    double provableAverageRobustness, double meanRadius) {

  public RobustnessSummary {
    eps = eps.clone();
    provableRobustAccuracy = provableRobustAccuracy.clone();
    if (eps.length != provableRobustAccuracy.length) {
      throw new IllegalArgumentException("eps and provableRobustAccuracy lengths differ: " + eps.length + " vs "
          + provableRobustAccuracy.length);
    }
  }

  @Override
  public double[] eps() {
    return eps.clone();
  }

  @Override
  public double[] provableRobustAccuracy() {
    return provableRobustAccuracy.clone();
  }
}
