package org.jlip.layers;

/**
 * A plain, unconstrained dense layer: what an export condenses constrained layers into, and the building block
 * of unconstrained baselines. Not Lipschitz by construction; its measured bound is its kernel's spectral norm.
 */
public record DenseConfig(Integer units, Boolean useBias, String name) implements LayerConfig {

  public DenseConfig {
    units = Check.positive("units", units, 0);
    useBias = useBias == null || useBias;
    name = Check.name(name);
  }

  public DenseConfig(int units) {
    this(units, null, null);
  }

  @Override
  public LipLayer create() {
    return new Dense(this);
  }
}
