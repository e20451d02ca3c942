package org.jlip.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/** Graph-held parameters: a set between runs changes the value as a freshly built loss would. */
class ScalarParameterTest {

  private static final double[][] Y = {{1}, {1}, {1}, {0}, {0}, {0}};
  private static final double[][] F = {{0.5}, {1.5}, {-0.5}, {-0.5}, {-1.5}, {0.5}};

  @Test
  void settingAlphaAndMarginChangesTheValueWithoutRebuilding() {
    HKR loss = new HKR(10, 1, Reduction.NONE);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat64> out = loss.call(tf, tf.constant(Y), tf.constant(F), null);
      s.initialize();
      int ops = countOps(g);
      assertArrayClose(LossHarness.eval(new HKR(10, 1, Reduction.NONE), Y, F, TFloat64.class),
          LossHarness.fetch(s, out));
      loss.setAlpha(s, 50);
      assertArrayClose(LossHarness.eval(new HKR(50, 1, Reduction.NONE), Y, F, TFloat64.class),
          LossHarness.fetch(s, out));
      loss.setMinMargin(s, 2.5);
      assertArrayClose(LossHarness.eval(new HKR(50, 2.5, Reduction.NONE), Y, F, TFloat64.class),
          LossHarness.fetch(s, out));
      loss.setAlpha(s, Double.POSITIVE_INFINITY);
      assertArrayClose(LossHarness.eval(new HingeMargin(2.5, Reduction.NONE), Y, F, TFloat64.class),
          LossHarness.fetch(s, out));
      assertEquals(ops, countOps(g), "no op added by the setters");
      assertEquals(10, loss.alpha(), "the Java value stays the initial one");
      IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> loss.setMinMargin(s, -1));
      assertTrue(bad.getMessage().contains("minMargin") && bad.getMessage().contains("-1.0"), bad.getMessage());
    }
  }

  @Test
  void oneInstanceServesTwoGraphsIndependently() {
    TauBinaryCrossentropy loss = new TauBinaryCrossentropy(2, Reduction.AUTO);
    try (Graph g1 = new Graph(); Session s1 = new Session(g1); Graph g2 = new Graph(); Session s2 = new Session(g2)) {
      Ops tf1 = Ops.create(g1);
      Ops tf2 = Ops.create(g2);
      Operand<TFloat64> out1 = loss.call(tf1, tf1.constant(Y), tf1.constant(F), null);
      Operand<TFloat32> out2 = loss.call(tf2, tf2.constant(Y), tf2.dtypes.cast(tf2.constant(F), TFloat32.class),
          null);
      s1.initialize();
      s2.initialize();
      loss.setTau(s1, 5);
      double v1 = LossHarness.fetch(s1, out1)[0];
      double v2;
      try (TFloat32 t = (TFloat32) s2.runner().fetch(out2).run().get(0)) {
        v2 = t.getFloat();
      }
      assertEquals(LossHarness.eval(new TauBinaryCrossentropy(5), Y, F, TFloat64.class)[0], v1, 1e-12);
      assertEquals(LossHarness.eval(new TauBinaryCrossentropy(2), Y, F, TFloat64.class)[0], v2, 1e-6);
      assertEquals(1, loss.variables(g1).size());
      assertTrue(loss.variables(g1).get(0).op().name().startsWith("jlip_TauBinaryCrossentropy_tau"));
    }
  }

  @Test
  void settingBeforeTheLossIsInTheGraphIsRefused() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> new HKR().setAlpha(s, 3));
      assertTrue(e.getMessage().contains("alpha"), e.getMessage());
    }
  }

  private static int countOps(Graph g) {
    int n = 0;
    for (var it = g.operations(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }

  private static void assertArrayClose(double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-12 * Math.max(1, Math.abs(expected[i])), "sample " + i);
    }
  }
}
