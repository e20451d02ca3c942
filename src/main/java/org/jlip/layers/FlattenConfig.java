package org.jlip.layers;

/** Flattens [H, W, C] (row-major, channels last) to [H*W*C]. */
public record FlattenConfig(String name) implements LayerConfig {

  public FlattenConfig {
    name = Check.name(name);
  }

  public FlattenConfig() {
    this(null);
  }

  @Override
  public LipLayer create() {
    return new Flatten(this);
  }
}
