package org.jlip.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jlip.testing.GraphEval;
import org.jlip.testing.LipschitzHarness;
import org.junit.jupiter.api.Test;

class ScaledAveragePooling2DTest {

  @Test
  void matchesReferenceVectors() {
    PoolingCases.matchesReference(new ScaledAveragePooling2DConfig(), "scaled_avg_pool_2x2_nchw", 2, 2);
  }

  @Test
  void rectangularPoolAndCoefficient() {
    ScaledAveragePooling2DConfig config = new ScaledAveragePooling2DConfig(List.of(1, 2), 3.0, null);
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
    float s = (float) (3 * Math.sqrt(2));
    assertArrayEquals(new float[] {2 * s, 3 * s, 6 * s, 7 * s},
        GraphEval.run(new long[] {1, 2, 2, 2}, x, GraphEval.layer(config, new long[] {2, 2, 2})), 1e-5f);
    assertEquals(3.0, config.create().nominalLipschitz(), 0);
  }

  @Test
  void harnessReachesTheBound() {
    PoolingCases.harnessIsTight(new ScaledAveragePooling2DConfig(), new long[] {4, 4, 3},
        LipschitzHarness.Options.defaults());
    PoolingCases.harnessIsTight(new ScaledAveragePooling2DConfig(List.of(2, 2), 0.5, null), new long[] {4, 6, 2},
        LipschitzHarness.Options.defaults());
  }

  @Test
  void rejectsBadShapes() {
    PoolingCases.rejects(new ScaledAveragePooling2DConfig(), new long[] {5, 4, 2}, "height 5", "poolSize[0] = 2");
    PoolingCases.rejects(new ScaledAveragePooling2DConfig(List.of(2, 3), null, null), new long[] {4, 4, 2},
        "width 4", "poolSize[1] = 3");
    PoolingCases.rejects(new ScaledAveragePooling2DConfig(), new long[] {16}, "rank 3", "[16]");
  }
}
