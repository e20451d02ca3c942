package org.jlip.layers;

import java.util.List;

/** Space-to-depth: [H, W, C] -> [H/p, W/p, C*p*p], a permutation of the values (exactly 1-Lipschitz). */
public record InvertibleDownSamplingConfig(List<Integer> poolSize, String name) implements LayerConfig {

  public InvertibleDownSamplingConfig {
    poolSize = Check.pair("poolSize", poolSize, 2);
    name = Check.name(name);
  }

  @Override
  public LipLayer create() {
    return new InvertibleDownSampling(this);
  }
}
