package org.jlip.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.jlip.testing.GraphEval;
import org.jlip.testing.LipschitzHarness;
import org.junit.jupiter.api.Test;

class ScaledGlobalAveragePooling2DTest {

  @Test
  void matchesReferenceVectors() {
    PoolingCases.matchesReference(new ScaledGlobalAveragePooling2DConfig(), "scaled_global_avg_pool_nchw", 1, 1);
  }

  @Test
  void coefficientScalesTheOutput() {
    float[] x = {1, 2, 3, 4, 5, 6};
    // channels (1, 3, 5) and (2, 4, 6) on a 3x1 image: sum / sqrt(3), times 2
    float s = (float) (2 / Math.sqrt(3));
    assertArrayEquals(new float[] {9 * s, 12 * s}, GraphEval.run(new long[] {1, 3, 1, 2}, x,
        GraphEval.layer(new ScaledGlobalAveragePooling2DConfig(2.0, null), new long[] {3, 1, 2})), 1e-5f);
  }

  @Test
  void harnessReachesTheBound() {
    PoolingCases.harnessIsTight(new ScaledGlobalAveragePooling2DConfig(), new long[] {3, 5, 4},
        LipschitzHarness.Options.defaults());
  }

  @Test
  void rejectsBadShapes() {
    PoolingCases.rejects(new ScaledGlobalAveragePooling2DConfig(), new long[] {4, 4, 2, 1}, "rank 3",
        "[4, 4, 2, 1]");
  }
}
