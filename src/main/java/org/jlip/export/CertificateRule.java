package org.jlip.export;

/**
 * How a multi-class margin becomes a certified L2 radius (NUMERICS.md, certificates): radius = margin /
 * (divisor * L), margin = top logit minus the runner-up. A single-logit (binary) model ignores the rule:
 * radius = |f| / L.
 */
public enum CertificateRule {
  /** Each logit is L-Lipschitz on its own (FrobeniusDense head with disjoint neurons): divisor 2. */
  DISJOINT_HEAD(2.0),
  /** The logit vector is L-Lipschitz as a whole (e.g. a SpectralDense head): divisor sqrt(2). */
  LIPSCHITZ_HEAD(Math.sqrt(2.0));

  private final double divisor;

  CertificateRule(double divisor) {
    this.divisor = divisor;
  }

  /** The divisor of the margin; the bound on |grad(f_i - f_j)| is divisor * L. */
  public double divisor() {
    return divisor;
  }

  /** The rule for a model whose bound holds per output ({@code perOutput}) or for the whole output vector. */
  public static CertificateRule of(boolean perOutput) {
    return perOutput ? DISJOINT_HEAD : LIPSCHITZ_HEAD;
  }
}
