package org.jlip.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.jlip.testing.GraphEval;
import org.jlip.testing.LipschitzHarness;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;

class InvertibleDownSamplingTest {

  @Test
  void matchesDeelLipChannelOrder() {
    for (List<Integer> pool : List.of(List.of(2, 2), List.of(2, 3))) {
      int h = 4;
      int w = 6;
      int c = 3;
      float[] x = GroupSortTest.random(2 * h * w * c, 5);
      InvertibleDownSamplingConfig config = new InvertibleDownSamplingConfig(pool, null);
      assertArrayEquals(reference(x, 2, h, w, c, pool.get(0), pool.get(1)),
          GraphEval.run(new long[] {2, h, w, c}, x, GraphEval.layer(config, new long[] {h, w, c})), 0f);
      try (Graph g = new Graph()) {
        assertArrayEquals(new long[] {h / pool.get(0), w / pool.get(1), c * pool.get(0) * pool.get(1)},
            config.create().build(Ops.create(g), new long[] {h, w, c}, 0L));
      }
    }
  }

  @Test
  void harnessFindsOne() {
    PoolingCases.harnessIsTight(new InvertibleDownSamplingConfig(null, null), new long[] {4, 4, 2},
        LipschitzHarness.Options.defaults().withSteps(50));
  }

  @Test
  void rejectsBadShapes() {
    PoolingCases.rejects(new InvertibleDownSamplingConfig(List.of(3, 2), null), new long[] {4, 4, 2}, "height 4",
        "poolSize[0] = 3");
    PoolingCases.rejects(new InvertibleDownSamplingConfig(null, null), new long[] {4, 4}, "rank 3");
  }

  /** deel-lip: concat over (i, j) of x[:, i::ph, j::pw, :] along the channels. */
  private static float[] reference(float[] x, int n, int h, int w, int c, int ph, int pw) {
    int oh = h / ph;
    int ow = w / pw;
    int oc = c * ph * pw;
    float[] out = new float[x.length];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < ph; i++) {
        for (int j = 0; j < pw; j++) {
          for (int y = 0; y < oh; y++) {
            for (int z = 0; z < ow; z++) {
              for (int k = 0; k < c; k++) {
                int channel = (i * pw + j) * c + k;
                out[((b * oh + y) * ow + z) * oc + channel] = x[((b * h + y * ph + i) * w + z * pw + j) * c + k];
              }
            }
          }
        }
      }
    }
    return out;
  }
}
