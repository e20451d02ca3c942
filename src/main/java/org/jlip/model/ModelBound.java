package org.jlip.model;

import java.util.List;
import org.jlip.layers.LayerBound;

/**
 * A model's Lipschitz constant layer by layer: the product of the layers' nominal coefficients (what the
 * construction claims) and of their measured bounds (computed from the inference weights).
 *
 * @param layerNames the layers in order
 * @param layers each layer's bound
 * @param perOutput true when the last layer's bound holds per output (a disjoint-neuron head): the product then
 *     bounds each logit separately and certificates use margin/2
 * @param headNorms for a disjoint head, the L2 norm of each output neuron's weights (the columns of its kernel),
 *     for the sharper pairwise radius (f_i - f_j) / (L_body (||w_i|| + ||w_j||)); null otherwise
 */
public record ModelBound(List<String> layerNames, List<LayerBound> layers, boolean perOutput, float[] headNorms) {

  public ModelBound {
    layerNames = List.copyOf(layerNames);
    layers = List.copyOf(layers);
    if (headNorms != null && !perOutput) {
      throw new IllegalArgumentException("headNorms are for disjoint (per-output) heads only");
    }
    headNorms = headNorms == null ? null : headNorms.clone();
  }

  public ModelBound(List<String> layerNames, List<LayerBound> layers, boolean perOutput) {
    this(layerNames, layers, perOutput, null);
  }

  @Override
  public float[] headNorms() {
    return headNorms == null ? null : headNorms.clone();
  }

  /** True when certificates can use the pairwise radius of a disjoint head. */
  public boolean pairwise() {
    return headNorms != null;
  }

  public double nominal() {
    return layers.stream().mapToDouble(LayerBound::nominal).reduce(1, (a, b) -> a * b);
  }

  public double measured() {
    return layers.stream().mapToDouble(LayerBound::measured).reduce(1, (a, b) -> a * b);
  }

  /** Product of the lower estimates: the true constant of each layer is at least its estimate. */
  public double estimate() {
    return layers.stream().mapToDouble(LayerBound::estimate).reduce(1, (a, b) -> a * b);
  }

  /** The measured bound of everything before the last layer (the body of a disjoint head). */
  public double measuredBody() {
    return layers.subList(0, layers.size() - 1).stream()
        .mapToDouble(LayerBound::measured).reduce(1, (a, b) -> a * b);
  }

  /** One line per layer (nominal, measured bound and how, lower estimate), then the products. */
  public String table() {
    StringBuilder b = new StringBuilder(header());
    for (int i = 0; i < layers.size(); i++) {
      LayerBound l = layers.get(i);
      b.append(row(layerNames.get(i), l.nominal(), l.measured(), l.estimate(), l.method(), l.perOutput()));
    }
    b.append(row("product", nominal(), measured(), estimate(), perOutput ? "per logit" : "whole", false));
    return b.toString();
  }

  public static String header() {
    return String.format(java.util.Locale.ROOT, "    %-28s %10s %10s %10s  %s%n", "layer", "nominal", "measured",
        "estimate", "method");
  }

  public static String row(String name, double nominal, double measured, double estimate, String method,
      boolean perOutput) {
    return String.format(java.util.Locale.ROOT, "    %-28s %10s %10.6f %10.6f  %s%n", name,
        Double.isInfinite(nominal) ? "unbounded" : String.format(java.util.Locale.ROOT, "%.6f", nominal), measured,
        estimate, method + (perOutput ? " (per output)" : ""));
  }
}
