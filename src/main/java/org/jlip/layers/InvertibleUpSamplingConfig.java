package org.jlip.layers;

import java.util.List;

/**
 * Depth-to-space: [H, W, ph*pw*C] -> [H*ph, W*pw, C], the inverse of {@link InvertibleDownSamplingConfig} (a
 * permutation of the values, exactly 1-Lipschitz).
 */
public record InvertibleUpSamplingConfig(List<Integer> poolSize, String name) implements LayerConfig {

  public InvertibleUpSamplingConfig {
    poolSize = Check.pair("poolSize", poolSize, 2);
    name = Check.name(name);
  }

  @Override
  public LipLayer create() {
    return new InvertibleUpSampling(this);
  }
}
