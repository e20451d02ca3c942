package org.jlip.attack;

/**
 * Per-sample outcome of {@link Pgd#run}.
 *
 * @param eps the attack radius
 * @param labels the true labels
 * @param cleanPrediction predictions on the clean inputs
 * @param success true when the prediction differed from the label at some iterate (clean misclassified
 *     samples count as broken with norm 0)
 * @param adversarialPrediction the prediction at the kept point
 * @param norm L2 norm of the kept perturbation (the first adversarial one, else the last iterate)
 * @param adversarial the kept points [n*H*W*C], row-major like the inputs
 */
public record PgdResult(double eps, int[] labels, int[] cleanPrediction, boolean[] success,
    int[] adversarialPrediction, double[] norm, float[] adversarial) {

  public int size() {
    return labels.length;
  }

  /** Empirical robust accuracy at eps: fraction correctly classified and not broken. */
  public double robustAccuracy() {
    int ok = 0;
    for (int i = 0; i < size(); i++) {
      ok += !success[i] && cleanPrediction[i] == labels[i] ? 1 : 0;
    }
    return size() == 0 ? 0 : (double) ok / size();
  }

  /** The smallest adversarial norm per sample: norm when broken, +infinity otherwise. */
  public double[] adversarialNorms() {
    double[] out = new double[size()];
    for (int i = 0; i < size(); i++) {
      out[i] = success[i] ? norm[i] : Double.POSITIVE_INFINITY;
    }
    return out;
  }
}
