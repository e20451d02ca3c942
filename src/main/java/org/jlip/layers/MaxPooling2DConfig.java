package org.jlip.layers;

import java.util.List;

/** Keras's MaxPooling2D over non-overlapping windows (strides = poolSize, padding valid). */
public record MaxPooling2DConfig(List<Integer> poolSize, String name) implements LayerConfig {

  public MaxPooling2DConfig {
    poolSize = Check.pair("poolSize", poolSize, 2);
    name = Check.name(name);
  }

  public MaxPooling2DConfig() {
    this(null, null);
  }

  @Override
  public LipLayer create() {
    return new MaxPooling2D(this);
  }
}
