package org.jlip.layers;

import java.util.Map;
import org.tensorflow.Session;

/**
 * A constrained layer that exports as a plain one, as deel-lip's {@code Condensable.vanilla_export()}: the plain
 * layer computes the same function as this layer's inference call with its constrained weights (W_bar with every
 * coefficient folded in), so an exported model needs neither the normalisation ops nor the state variables.
 * Layers without weights are not Condensable: they export as themselves.
 */
public interface Condensable {

  /**
   * The plain layer this one exports as ({@link DenseConfig} or {@link Conv2DConfig}), carrying this layer's
   * name so the exported variables keep their names.
   */
  LayerConfig vanillaConfig();

  /**
   * The exported layer's weights by role ("kernel", and "bias" when it has one), read from {@code session}: the
   * inference weights, i.e. the cached W_bar times the layer's coefficient, in the plain layer's shape
   * (row-major). Condense first if the state may lag the last optimizer step.
   */
  Map<String, float[]> vanillaWeights(Session session);
}
