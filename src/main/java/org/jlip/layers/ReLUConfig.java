package org.jlip.layers;

/** max(x, 0): 1-Lipschitz, for unconstrained baselines and imported Keras models. */
public record ReLUConfig(String name) implements LayerConfig {

  public ReLUConfig {
    name = Check.name(name);
  }

  @Override
  public LipLayer create() {
    return new ReLU(this);
  }
}
