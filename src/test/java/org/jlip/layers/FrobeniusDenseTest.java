package org.jlip.layers;

import static org.jlip.layers.LayerTestSupport.fetch;
import static org.jlip.layers.LayerTestSupport.gaussian;
import static org.jlip.layers.LayerTestSupport.singularValues;
import static org.jlip.layers.LayerTestSupport.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jlip.certify.OperatorNorms;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class FrobeniusDenseTest {

  /** Trains-free check: load a Gaussian kernel, run the training output, compare wbar and the bound. */
  private static void check(boolean disjoint) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      FrobeniusDense layer = new FrobeniusDense(new FrobeniusDenseConfig(5, null, disjoint, 1.5, null));
      layer.build(tf, new long[] {8}, 2);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8)));
      Operand<TFloat32> train = layer.call(tf, x, true);
      Operand<TFloat32> infer = layer.call(tf, x, false);
      float[] k = gaussian(40, 3);
      Op load = tf.assign(layer.trainableVariables().get(0),
          tf.constant(Shape.of(8, 5), DataBuffers.of(k, true, false)));
      s.initialize();
      s.runner().addTarget(load).run();
      try (TFloat32 xt = tensor(gaussian(24, 4), 3, 8)) {
        float[] yTrain = fetch(s, train, x, xt);
        assertArrayEquals(yTrain, fetch(s, infer, x, xt), 1e-5f);
      }
      float[] wbar = fetch(s, layer.stateVariables().get(0));
      LayerBound b = layer.bound(s);
      if (disjoint) {
        for (double n : OperatorNorms.columnNorms(wbar, 8, 5)) {
          assertEquals(1.5, n, 1e-6);
        }
        assertEquals(1.5, b.measured(), 1e-6);
        assertTrue(b.perOutput());
        assertEquals("column-norms", b.method());
      } else {
        double f = 0;
        for (float v : wbar) {
          f += v * v;
        }
        assertEquals(1.5, Math.sqrt(f), 1e-6);
        assertEquals(singularValues(wbar, 8, 5)[0], b.measured(), 1e-6);
        assertTrue(b.measured() < 1.5, "spectral norm below the Frobenius norm");
        assertEquals("svd", b.method());
      }
      assertEquals(1.5, layer.nominalLipschitz(), 0);
    }
  }

  @Test
  void disjointNeuronsHaveUnitColumns() {
    check(true);
  }

  @Test
  void wholeKernelHasUnitFrobeniusNorm() {
    check(false);
  }

  @Test
  void rejectsWrongRankAndZeroUnits() {
    assertThrows(IllegalArgumentException.class, () -> new FrobeniusDenseConfig(0));
    try (Graph g = new Graph()) {
      FrobeniusDense layer = new FrobeniusDense(new FrobeniusDenseConfig(3));
      assertThrows(IllegalArgumentException.class, () -> layer.build(Ops.create(g), new long[] {2, 2}, 1));
    }
  }
}
