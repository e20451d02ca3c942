package org.jlip.report;

/**
 * One row of an {@link ImageGrid}: an image [H*W*C] (values in [0, 1]), its adversarial example, and the text
 * written under each (usually class names).
 */
public record GridSample(float[] original, float[] adversarial, String originalCaption, String adversarialCaption) {

  public GridSample {
    if (original == null || adversarial == null || original.length != adversarial.length) {
      throw new IllegalArgumentException("original and adversarial must be non-null and of equal length, got "
          + (original == null ? "null" : original.length) + " and "
          + (adversarial == null ? "null" : adversarial.length));
    }
  }

  /** L2 norm of adversarial - original. */
  public double norm() {
    double s = 0;
    for (int i = 0; i < original.length; i++) {
      double t = (double) adversarial[i] - original[i];
      s += t * t;
    }
    return Math.sqrt(s);
  }
}
