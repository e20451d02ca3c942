package org.jlip.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jlip.testing.GraphEval;
import org.jlip.testing.LipschitzHarness;
import org.junit.jupiter.api.Test;

class ScaledL2NormPooling2DTest {

  @Test
  void matchesReferenceVectors() {
    PoolingCases.matchesReference(new ScaledL2NormPooling2DConfig(), "scaled_l2norm_pool_2x2_nchw", 2, 2);
  }

  @Test
  void isTheNormOfEachWindowWithTheEpsilon() {
    float[] x = {3, 4, 0, 0};
    float zeroWindow = (float) Math.sqrt(2 * 1e-6);
    assertArrayEquals(new float[] {5, zeroWindow},
        GraphEval.run(new long[] {1, 1, 4, 1}, x,
            GraphEval.layer(new ScaledL2NormPooling2DConfig(List.of(1, 2), null, null), new long[] {1, 4, 1})),
        1e-6f);
  }

  @Test
  void gradientIsFiniteAtZero() {
    float[] g = GraphEval.gradient(new long[] {1, 2, 2, 1}, new float[4],
        GraphEval.layer(new ScaledL2NormPooling2DConfig(), new long[] {2, 2, 1}), new float[] {1});
    for (float v : g) {
      assertTrue(Float.isFinite(v), "gradient " + v);
    }
  }

  @Test
  void harnessReachesTheBound() {
    PoolingCases.harnessIsTight(new ScaledL2NormPooling2DConfig(), new long[] {4, 4, 3},
        LipschitzHarness.Options.defaults());
    // near 0 the epsilon matters; the layer must stay 1-Lipschitz there too
    PoolingCases.harnessIsTight(new ScaledL2NormPooling2DConfig(), new long[] {4, 4, 3},
        LipschitzHarness.Options.defaults().withInputScale(1e-3));
  }

  @Test
  void rejectsBadShapes() {
    PoolingCases.rejects(new ScaledL2NormPooling2DConfig(), new long[] {4, 7, 2}, "width 7", "poolSize[1] = 2");
    PoolingCases.rejects(new ScaledL2NormPooling2DConfig(), new long[] {4, 4}, "rank 3", "[4, 4]");
  }
}
