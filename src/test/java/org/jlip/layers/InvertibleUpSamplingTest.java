package org.jlip.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.jlip.testing.GraphEval;
import org.jlip.testing.LipschitzHarness;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class InvertibleUpSamplingTest {

  /** Up-sampling undoes jlip's down-sampling and the reverse, exactly, for square and rectangular pools. */
  @Test
  void invertsTheDownSamplingBothWays() {
    for (List<Integer> pool : List.of(List.of(2, 2), List.of(2, 3))) {
      long[] image = {4, 6, 3};
      long[] packed = {4 / pool.get(0), 6 / pool.get(1), 3L * pool.get(0) * pool.get(1)};
      InvertibleDownSamplingConfig down = new InvertibleDownSamplingConfig(pool, null);
      InvertibleUpSamplingConfig up = new InvertibleUpSamplingConfig(pool, null);
      float[] x = GroupSortTest.random(2 * 72, 7);
      assertArrayEquals(x, GraphEval.run(new long[] {2, 4, 6, 3}, x, (tf, v) -> chain(tf, v, down, image, up,
          packed)), 0f);
      assertArrayEquals(x, GraphEval.run(new long[] {2, packed[0], packed[1], packed[2]}, x,
          (tf, v) -> chain(tf, v, up, packed, down, image)), 0f);
      try (Graph g = new Graph()) {
        assertArrayEquals(image, up.create().build(Ops.create(g), packed, 0L));
      }
    }
  }

  /** TensorFlow's DepthToSpace is the same permutation for a square pool. */
  @Test
  void isTensorFlowsDepthToSpaceForSquarePools() {
    float[] x = GroupSortTest.random(2 * 3 * 2 * 8, 9);
    long[] shape = {2, 3, 2, 8};
    assertArrayEquals(GraphEval.run(shape, x, (tf, v) -> tf.nn.depthToSpace(v, 2L)),
        GraphEval.run(shape, x, GraphEval.layer(new InvertibleUpSamplingConfig(null, null), new long[] {3, 2, 8})),
        0f);
  }

  @Test
  void harnessFindsOne() {
    PoolingCases.harnessIsTight(new InvertibleUpSamplingConfig(null, null), new long[] {2, 2, 8},
        LipschitzHarness.Options.defaults().withSteps(50));
  }

  @Test
  void rejectsBadShapes() {
    PoolingCases.rejects(new InvertibleUpSamplingConfig(List.of(2, 3), null), new long[] {4, 4, 8}, "channels 8",
        "poolSize[0] * poolSize[1] = 6");
    PoolingCases.rejects(new InvertibleUpSamplingConfig(null, null), new long[] {4, 4}, "rank 3");
  }

  private static Operand<TFloat32> chain(Ops tf, Operand<TFloat32> x, LayerConfig first, long[] firstIn,
      LayerConfig second, long[] secondIn) {
    LipLayer a = first.create();
    a.build(tf, firstIn, 0L);
    LipLayer b = second.create();
    b.build(tf, secondIn, 0L);
    return b.call(tf, a.call(tf, x, false), false);
  }
}
