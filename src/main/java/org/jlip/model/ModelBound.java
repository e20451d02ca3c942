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
 */
public record ModelBound(List<String> layerNames, List<LayerBound> layers, boolean perOutput) {

  public ModelBound {
    layerNames = List.copyOf(layerNames);
    layers = List.copyOf(layers);
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
}
