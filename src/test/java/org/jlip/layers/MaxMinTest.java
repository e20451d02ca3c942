package org.jlip.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jlip.testing.GraphEval;
import org.jlip.testing.LipschitzHarness;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;

class MaxMinTest {

  @Test
  void concatenatesPositiveAndNegativeParts() {
    float[] x = {1, -2, 3, -4};
    assertArrayEquals(new float[] {1, 0, 0, 2, 3, 0, 0, 4}, GraphEval.run(new long[] {2, 2}, x,
        GraphEval.layer(new MaxMinConfig(null, null, null), new long[] {2})), 0f);
    // along axis 1 of [2, 2, 1]: rows (1, -2) become (1, 0, 0, 2)
    assertArrayEquals(new float[] {1, 0, 0, 2, 3, 0, 0, 4}, GraphEval.run(new long[] {2, 2, 1}, x,
        GraphEval.layer(new MaxMinConfig(1, null, null), new long[] {2, 1})), 0f);
    assertArrayEquals(new float[] {2, 0, 0, 4}, GraphEval.run(new long[] {1, 2}, new float[] {1, -2},
        GraphEval.layer(new MaxMinConfig(null, 2.0, null), new long[] {2})), 0f);
  }

  @Test
  void doublesTheAxis() {
    try (Graph g = new Graph()) {
      assertArrayEquals(new long[] {3, 8, 5},
          new MaxMinConfig(-2, null, null).create().build(Ops.create(g), new long[] {3, 4, 5}, 0L));
    }
  }

  @Test
  void gradientSelectsThePart() {
    float[] g = GraphEval.gradient(new long[] {1, 2}, new float[] {1, -2},
        GraphEval.layer(new MaxMinConfig(null, null, null), new long[] {2}), new float[] {1, 2, 3, 4});
    // d/dx0 = w0 (x0 > 0); d/dx1 = -w3 (x1 < 0)
    assertArrayEquals(new float[] {1, -4}, g, 0f);
  }

  @Test
  void harnessReachesTheBound() {
    for (MaxMinConfig config : new MaxMinConfig[] {new MaxMinConfig(null, null, null),
        new MaxMinConfig(null, 1.5, null)}) {
      double bound = config.create().bound(null).measured();
      double est = LipschitzHarness.estimate(new long[] {4, 4, 3},
          GraphEval.layer(config, new long[] {4, 4, 3}), LipschitzHarness.Options.defaults().withSteps(100));
      System.out.printf("harness %s: %.5f (bound %.3f)%n", config, est, bound);
      assertEquals(bound, est, 0.02 * bound);
    }
  }

  @Test
  void rejectsAnAxisOutOfRange() {
    PoolingCases.rejects(new MaxMinConfig(3, null, null), new long[] {4, 4}, "axis", "got 3", "[4, 4]");
  }
}
