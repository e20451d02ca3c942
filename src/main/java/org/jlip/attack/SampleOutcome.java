package org.jlip.attack;

/**
 * One sample of an {@link AttackReport}.
 *
 * @param certifiedRadius the caller's certificate against the true label (<= 0 when misclassified)
 * @param adversarialNorm the smallest adversarial L2 norm any attack found (+infinity: none found)
 */
public record SampleOutcome(int index, int label, int prediction, double certifiedRadius, double adversarialNorm) {

  public boolean correct() {
    return label == prediction;
  }
}
