package org.jlip.layers;

/**
 * The Lipschitz constant of one layer: what its construction claims and what its weights achieve.
 *
 * @param nominal the claimed constant (kCoefLip; +infinity for unconstrained layers)
 * @param measured a guaranteed upper bound computed from the inference weights
 * @param estimate a lower estimate of the true constant (equal to measured where the bound is exact)
 * @param method how {@code measured} was obtained (e.g. "svd", "dft", "exact")
 * @param perOutput true when the bound holds for each output on its own (disjoint-neuron heads), not for the
 *     output vector as a whole
 */
public record LayerBound(double nominal, double measured, double estimate, String method, boolean perOutput) {

  /** A bound that is exact: a weight-free layer with known coefficient. */
  public static LayerBound exact(double coefficient) {
    return new LayerBound(coefficient, coefficient, coefficient, "exact", false);
  }
}
