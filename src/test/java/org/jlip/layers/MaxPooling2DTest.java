package org.jlip.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jlip.testing.GraphEval;
import org.jlip.testing.LipschitzHarness;
import org.junit.jupiter.api.Test;

class MaxPooling2DTest {

  /** The maximum of each window, computed here in Java on a random NHWC batch. */
  @Test
  void equalsTheWindowMaximum() {
    int n = 2;
    int h = 6;
    int w = 4;
    int c = 3;
    float[] x = LayerTestSupport.gaussian(n * h * w * c, 11);
    MaxPooling2DConfig config = new MaxPooling2DConfig(List.of(3, 2), null);
    float[] actual = GraphEval.run(new long[] {n, h, w, c}, x, GraphEval.layer(config, new long[] {h, w, c}));
    int oh = h / 3;
    int ow = w / 2;
    float[] expected = new float[n * oh * ow * c];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          for (int k = 0; k < c; k++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int di = 0; di < 3; di++) {
              for (int dj = 0; dj < 2; dj++) {
                m = Math.max(m, x[((b * h + 3 * i + di) * w + 2 * j + dj) * c + k]);
              }
            }
            expected[((b * oh + i) * ow + j) * c + k] = m;
          }
        }
      }
    }
    assertArrayEquals(expected, actual, 0f);
    assertEquals(1.0, config.create().nominalLipschitz(), 0);
  }

  /** The gradient routes each output's weight to its window's maximum, and nowhere else. */
  @Test
  void gradientGoesToTheMaximum() {
    float[] x = {1, 5, 2, 0, -1, -3, -2, -4};
    float[] weights = {0.5f, -2f};
    float[] g = GraphEval.gradient(new long[] {1, 2, 4, 1}, x,
        GraphEval.layer(new MaxPooling2DConfig(), new long[] {2, 4, 1}), weights);
    assertArrayEquals(new float[] {0, 0.5f, -2f, 0, 0, 0, 0, 0}, g, 0f);
  }

  @Test
  void harnessReachesTheBound() {
    PoolingCases.harnessIsTight(new MaxPooling2DConfig(), new long[] {4, 4, 3}, LipschitzHarness.Options.defaults());
  }

  @Test
  void rejectsBadShapes() {
    PoolingCases.rejects(new MaxPooling2DConfig(), new long[] {5, 4, 2}, "height 5", "poolSize[0] = 2");
    PoolingCases.rejects(new MaxPooling2DConfig(), new long[] {16}, "rank 3", "[16]");
  }
}
