package org.jlip.certify;

/**
 * How a margin becomes a certified L2 radius, given the network's Lipschitz constant L (NUMERICS.md).
 */
public enum CertificateRule {
  /** Multi-class head of disjoint 1-Lipschitz neurons (FrobeniusDense, disjoint): radius = margin / (2 L). */
  DISJOINT(2.0),
  /** Multi-class head 1-Lipschitz as a whole (e.g. SpectralDense): radius = margin / (sqrt(2) L). */
  SQRT2(Math.sqrt(2.0)),
  /** One logit: radius = s f / L with s the label's sign (true label) or |f| / L (predicted class). */
  BINARY(1.0);

  private final double divisor;

  CertificateRule(double divisor) {
    this.divisor = divisor;
  }

  /** The rule of a head: one logit, disjoint neurons (each logit Lipschitz alone), or a Lipschitz whole. */
  public static CertificateRule forHead(int outputs, boolean disjointHead) {
    return outputs == 1 ? BINARY : disjointHead ? DISJOINT : SQRT2;
  }

  /** The margin's divisor before L: 2, sqrt(2) or 1. */
  public double divisor() {
    return divisor;
  }

  static double checkLipschitz(double lipschitz) {
    if (!(lipschitz > 0) || Double.isInfinite(lipschitz)) {
      throw new IllegalArgumentException("lipschitz must be finite and > 0, got " + lipschitz);
    }
    return lipschitz;
  }
}
