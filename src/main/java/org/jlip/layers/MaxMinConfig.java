package org.jlip.layers;

/** concat(relu(x), relu(-x)) along {@code axis} (default -1): doubles that axis, 1-Lipschitz. */
public record MaxMinConfig(Integer axis, Double kCoefLip, String name) implements LayerConfig {

  public MaxMinConfig {
    axis = axis == null ? -1 : axis;
    if (axis == 0) {
      throw new IllegalArgumentException("axis must not be the batch axis 0, got 0");
    }
    kCoefLip = Check.positive("kCoefLip", kCoefLip, 1.0);
    name = Check.name(name);
  }

  @Override
  public LipLayer create() {
    return new MaxMin(this);
  }
}
