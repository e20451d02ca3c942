package org.jlip.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jlip.testing.GraphEval;
import org.jlip.testing.LipschitzHarness;

/** Checks shared by the pooling layer tests: the NCHW reference vectors, the harness, shape errors. */
final class PoolingCases {
  private PoolingCases() {}

  /** The layer on 'pooling_input_nchw' (as NHWC) equals the NCHW reference {@code key} (as NHWC). */
  static void matchesReference(LayerConfig config, String key, int outH, int outW) {
    var ref = GraphEval.referenceLayers();
    float[] x = GraphEval.nchwToNhwc(GraphEval.flat(ref.get("pooling_input_nchw")), 1, 2, 4, 4);
    float[] expected = GraphEval.nchwToNhwc(GraphEval.flat(ref.get(key)), 1, 2, outH, outW);
    float[] actual = GraphEval.run(new long[] {1, 4, 4, 2}, x, GraphEval.layer(config, new long[] {4, 4, 2}));
    assertArrayEquals(expected, actual, 1e-5f, key);
  }

  /** The harness estimate lies in [0.9, 1.02] x the layer's reported bound. */
  static void harnessIsTight(LayerConfig config, long[] shape, LipschitzHarness.Options options) {
    double bound = config.create().bound(null).measured();
    double est = LipschitzHarness.estimate(shape, GraphEval.layer(config, shape), options);
    System.out.printf("harness %s: %.5f (bound %.3f)%n", config, est, bound);
    assertTrue(est <= 1.02 * bound && est >= 0.9 * bound, config + ": estimate " + est + ", bound " + bound);
  }

  /** Building for {@code shape} throws an IllegalArgumentException whose message holds every {@code parts}. */
  static void rejects(LayerConfig config, long[] shape, String... parts) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> config.create().build(null, shape, 0L));
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' lacks '" + p + "'");
    }
  }
}
