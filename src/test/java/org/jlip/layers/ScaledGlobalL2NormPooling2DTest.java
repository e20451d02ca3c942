package org.jlip.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jlip.testing.GraphEval;
import org.jlip.testing.LipschitzHarness;
import org.junit.jupiter.api.Test;

class ScaledGlobalL2NormPooling2DTest {

  @Test
  void matchesReferenceVectors() {
    PoolingCases.matchesReference(new ScaledGlobalL2NormPooling2DConfig(), "scaled_global_l2norm_pool_nchw", 1, 1);
  }

  @Test
  void gradientIsFiniteAtAZeroChannel() {
    // channel 0 all zero, channel 1 not: sqrt(sum x^2) alone would give NaN for channel 0
    float[] x = {0, 3, 0, 4};
    float[] g = GraphEval.gradient(new long[] {1, 2, 1, 2}, x,
        GraphEval.layer(new ScaledGlobalL2NormPooling2DConfig(), new long[] {2, 1, 2}), new float[] {1, 1});
    assertArrayEquals(new float[] {0, 0.6f, 0, 0.8f}, g, 1e-6f);
  }

  @Test
  void harnessReachesTheBound() {
    PoolingCases.harnessIsTight(new ScaledGlobalL2NormPooling2DConfig(), new long[] {3, 3, 4},
        LipschitzHarness.Options.defaults());
    PoolingCases.harnessIsTight(new ScaledGlobalL2NormPooling2DConfig(0.7, null), new long[] {3, 3, 4},
        LipschitzHarness.Options.defaults());
  }

  @Test
  void rejectsBadShapes() {
    PoolingCases.rejects(new ScaledGlobalL2NormPooling2DConfig(), new long[] {8}, "rank 3", "[8]");
    assertTrue(new ScaledGlobalL2NormPooling2DConfig(0.7, null).create().nominalLipschitz() == 0.7);
  }
}
