package org.jlip.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jlip.model.LipschitzSequential;
import org.jlip.model.ModelSpec;
import org.jlip.testing.LipschitzHarness;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The harness (gradient ascent over input pairs) against the bound each weighted layer reports, with random
 * (not initial) kernels: never above 1.02x the bound, and close to it where the bound is exact.
 */
class ConstrainedLayersHarnessTest {

  /** Returns {harness estimate, reported bound}. */
  private static double[] measure(LayerConfig config, List<Integer> inputShape, boolean perOutput) {
    ModelSpec spec = new ModelSpec(null, inputShape, List.of(config), null, true, null, null);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      LipschitzSequential m = new LipschitzSequential(spec);
      m.build(tf, 17);
      List<Op> condense = m.condense(tf);
      s.initialize();
      SplittableRandom rnd = new SplittableRandom(23);
      for (Variable<TFloat32> v : m.trainableVariables()) {
        float[] values = new float[(int) v.shape().size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (rnd.nextGaussian() * 0.3);
        }
        s.runner().addTarget(tf.assign(v, tf.constant(Shape.of(v.shape().asArray()),
            DataBuffers.of(values, true, false)))).run();
      }
      // Warm-started power iteration converges over repeated condensations, as over training steps.
      for (int i = 0; i < 60 && !condense.isEmpty(); i++) {
        Session.Runner r = s.runner();
        condense.forEach(r::addTarget);
        r.run().close();
      }
      double bound = m.layers().get(0).bound(s).measured();
      double found = LipschitzHarness.estimate(s, m.input(), m.inferenceOutput(),
          LipschitzHarness.Options.defaults().withPerOutput(perOutput));
      System.out.printf("%s on %s: harness %.5f, reported bound %.5f%n", config.type(), inputShape, found, bound);
      return new double[] {found, bound};
    }
  }

  private static void assertHolds(double[] r) {
    assertTrue(r[0] <= 1.02 * r[1], "harness found " + r[0] + " above 1.02 x the reported bound " + r[1]);
  }

  private static void assertTight(double[] r) {
    assertTrue(r[0] >= 0.9 * r[1], "harness found " + r[0] + " below 0.9 x the reported bound " + r[1]
        + ": the bound is loose or the harness is weak");
  }

  @Test
  void spectralDenseBoundHoldsAndIsReached() {
    double[] r = measure(new SpectralDenseConfig(12), List.of(20), false);
    assertHolds(r);
    assertTight(r);
    double[] k = measure(new SpectralDenseConfig(12, null, 2.5, null, null, null, null, null, null),
        List.of(20), false);
    assertHolds(k);
    assertTight(k);
  }

  @Test
  void spectralConvBoundHolds() {
    assertHolds(measure(new SpectralConv2DConfig(3, 3), List.of(8, 8, 2), false));
    assertHolds(measure(new SpectralConv2DConfig(3, List.of(3, 3), List.of(2, 2), null, null, null, null, null,
        null, null, null, null, null), List.of(8, 8, 2), false));
    assertHolds(measure(new SpectralConv2DConfig(3, List.of(3, 3), null, null, null, null, null, null, null, null,
        null, true, null), List.of(8, 8, 2), false));
  }

  @Test
  void frobeniusBoundsHold() {
    double[] disjoint = measure(new FrobeniusDenseConfig(5), List.of(20), true);
    assertHolds(disjoint);
    assertTight(disjoint);
    double[] whole = measure(new FrobeniusDenseConfig(5, null, false, null, null), List.of(20), false);
    assertHolds(whole);
    assertTight(whole);
    assertHolds(measure(new FrobeniusConv2DConfig(3, List.of(3, 3), null, null, null), List.of(8, 8, 2), false));
  }

  @Test
  void unconstrainedLayersReportTheirMeasuredNorm() {
    double[] dense = measure(new DenseConfig(7), List.of(20), false);
    assertHolds(dense);
    assertTight(dense);
    assertHolds(measure(new Conv2DConfig(3, List.of(3, 3), null, "valid", null, null), List.of(8, 8, 2), false));
  }
}
