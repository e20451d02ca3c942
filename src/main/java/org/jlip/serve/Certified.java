package org.jlip.serve;

/**
 * One certified prediction: no input change of L2 norm below {@code radius} can change {@code label}.
 *
 * @param label the predicted class (for a single-logit binary head: 1 when the logit is positive, else 0)
 * @param radius the certified L2 radius of that prediction, from the Lipschitz bound measured on the model's weights
 * @param logits the model's logits for the input
 */
public record Certified(int label, float radius, float[] logits) {

  public Certified {
    logits = logits.clone();
  }

  @Override
  public float[] logits() {
    return logits.clone();
  }

  /** True when the prediction provably holds for every perturbation of L2 norm at most {@code eps}. */
  public boolean robustAt(double eps) {
    return radius > eps;
  }
}
