package org.jlip.certify;

import org.jlip.model.ModelBound;

/**
 * Certified radii with a model's measured bound: the rule of its head, and for a disjoint head whose neuron norms
 * are known the sharper pairwise radius min_j (f_i - f_j) / (L_body (||w_i|| + ||w_j||)) (never smaller than
 * margin / (2 L_body max ||w||), the plain disjoint rule with the same bound).
 */
public final class Radii {
  private Radii() {}

  /** Radii against the true labels; logits are [n, k] row-major. */
  public static float[] againstLabels(float[] logits, int[] labels, int k, CertificateRule rule, ModelBound bound) {
    int n = labels.length;
    if (rule == CertificateRule.BINARY) {
      float[] signs = new float[n];
      for (int i = 0; i < n; i++) {
        signs[i] = labels[i] > 0 ? 1f : -1f;
      }
      return CertificatesJava.binaryRadius(signs, logits, bound.measured());
    }
    float[][] f = rows(logits, n, k);
    float[][] y = new float[n][k];
    for (int i = 0; i < n; i++) {
      y[i][labels[i]] = 1f;
    }
    if (rule == CertificateRule.DISJOINT && bound.pairwise()) {
      return CertificatesJava.pairwiseRadius(y, f, bound.headNorms(), bound.measuredBody());
    }
    return CertificatesJava.radius(y, f, rule, bound.measured());
  }

  /** Radii of the predicted classes (no labels), with those classes. */
  public static PredictedRadii predicted(float[] logits, int n, int k, CertificateRule rule, ModelBound bound) {
    float[][] f = rows(logits, n, k);
    if (rule == CertificateRule.DISJOINT && bound.pairwise()) {
      return CertificatesJava.pairwisePredicted(f, bound.headNorms(), bound.measuredBody());
    }
    return CertificatesJava.predicted(f, rule, bound.measured());
  }

  private static float[][] rows(float[] logits, int n, int k) {
    float[][] f = new float[n][k];
    for (int i = 0; i < n; i++) {
      System.arraycopy(logits, i * k, f[i], 0, k);
    }
    return f;
  }
}
