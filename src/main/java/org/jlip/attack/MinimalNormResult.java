package org.jlip.attack;

/**
 * Per-sample outcome of {@link MinimalNorm#run}.
 *
 * @param labels the true labels
 * @param cleanPrediction predictions on the clean inputs
 * @param norm the smallest adversarial L2 norm found (0 for misclassified inputs, +infinity when none found):
 *     an upper bound on the sample's true robustness radius
 * @param adversarial the adversarial point of that norm [n*H*W*C] (the clean input when none was found)
 * @param adversarialPrediction the prediction at that point
 */
public record MinimalNormResult(int[] labels, int[] cleanPrediction, double[] norm, float[] adversarial,
    int[] adversarialPrediction) {

  public int size() {
    return labels.length;
  }

  /** True when an adversarial example was found for sample i. */
  public boolean found(int i) {
    return norm[i] < Double.POSITIVE_INFINITY;
  }

  /** Empirical robust accuracy at eps: fraction correctly classified with no adversarial of norm <= eps. */
  public double robustAccuracy(double eps) {
    int ok = 0;
    for (int i = 0; i < size(); i++) {
      ok += cleanPrediction[i] == labels[i] && !(norm[i] <= eps) ? 1 : 0;
    }
    return size() == 0 ? 0 : (double) ok / size();
  }
}
