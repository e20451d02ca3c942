package org.jlip.model;

import java.util.List;
import org.jlip.layers.LayerConfig;

/**
 * A model description as data (what a model JSON file holds): input shape without the batch axis (NHWC for
 * images), the layers in order, the model's Lipschitz coefficient spread over its Lipschitz layers as
 * k^(1/n), and an optional training block.
 *
 * @param allowNonLipschitz accept layers that are not Lipschitz by construction (plain Dense/Conv2D baselines)
 */
public record ModelSpec(
    String name,
    List<Integer> inputShape,
    List<LayerConfig> layers,
    Double kCoefLip,
    Boolean allowNonLipschitz,
    List<String> classNames,
    TrainingSpec training) {

  public ModelSpec {
    if (inputShape == null || inputShape.isEmpty() || inputShape.stream().anyMatch(d -> d == null || d <= 0)) {
      throw new IllegalArgumentException("inputShape must be a non-empty list of positive sizes, got " + inputShape);
    }
    inputShape = List.copyOf(inputShape);
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("layers must hold at least one layer, got " + layers);
    }
    layers = List.copyOf(layers);
    if (kCoefLip != null && (!(kCoefLip > 0) || kCoefLip.isInfinite())) {
      throw new IllegalArgumentException("kCoefLip must be a finite number > 0, got " + kCoefLip);
    }
    allowNonLipschitz = allowNonLipschitz != null && allowNonLipschitz;
    classNames = classNames == null ? null : List.copyOf(classNames);
  }

  public ModelSpec(List<Integer> inputShape, List<LayerConfig> layers) {
    this(null, inputShape, layers, null, null, null, null);
  }

  /** The same architecture with another training block. */
  public ModelSpec withTraining(TrainingSpec newTraining) {
    return new ModelSpec(name, inputShape, layers, kCoefLip, allowNonLipschitz, classNames, newTraining);
  }

  public long[] inputShapeArray() {
    return inputShape.stream().mapToLong(Integer::longValue).toArray();
  }
}
