package org.jlip.train;

import java.util.List;
import org.jlip.certify.CertificateRule;
import org.jlip.certify.CertificatesJava;
import org.jlip.certify.Radii;
import org.jlip.certify.RobustnessSummary;
import org.jlip.model.ModelBound;

/**
 * A model's numbers on a data set: loss, KR term, clean accuracy and certificates against the true labels, with
 * the nominal Lipschitz constant and the plain rule of the head (what deel-lip reports) and with the bound
 * measured from the weights (pairwise for a disjoint head, see {@link Radii}).
 */
public record Evaluation(
    double loss, double kr, double accuracy, ModelBound bound, RobustnessSummary nominal,
    RobustnessSummary measured) {

  /** Per-sample radii against the true labels. */
  public static float[] radii(float[] logits, int[] labels, int outputs, CertificateRule rule, double lipschitz) {
    int n = labels.length;
    if (outputs == 1) {
      float[] signs = new float[n];
      for (int i = 0; i < n; i++) {
        signs[i] = labels[i] > 0 ? 1f : -1f;
      }
      return CertificatesJava.binaryRadius(signs, logits, lipschitz);
    }
    float[][] y = new float[n][outputs];
    float[][] f = new float[n][outputs];
    for (int i = 0; i < n; i++) {
      y[i][labels[i]] = 1f;
      System.arraycopy(logits, i * outputs, f[i], 0, outputs);
    }
    return CertificatesJava.radius(y, f, rule, lipschitz);
  }

  static Evaluation of(float[] logits, int[] labels, int outputs, boolean disjointHead, ModelBound bound,
      List<Double> eps, double loss, double kr) {
    CertificateRule rule = CertificateRule.forHead(outputs, disjointHead);
    double[] e = eps.stream().mapToDouble(Double::doubleValue).toArray();
    RobustnessSummary nominal = CertificatesJava.summarize(
        radii(logits, labels, outputs, rule, finiteOr(bound.nominal(), bound.measured())), e);
    RobustnessSummary measured = CertificatesJava.summarize(
        Radii.againstLabels(logits, labels, outputs, rule, bound), e);
    return new Evaluation(loss, kr, measured.accuracy(), bound, nominal, measured);
  }

  /** An unconstrained model has no nominal constant: its nominal certificates fall back to the measured one. */
  private static double finiteOr(double nominal, double measured) {
    return Double.isFinite(nominal) ? nominal : measured;
  }
}
