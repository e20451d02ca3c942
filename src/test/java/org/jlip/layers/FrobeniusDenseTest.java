package org.jlip.layers;

import static org.jlip.layers.LayerTestSupport.fetch;
import static org.jlip.layers.LayerTestSupport.gaussian;
import static org.jlip.layers.LayerTestSupport.singularValues;
import static org.jlip.layers.LayerTestSupport.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jlip.certify.OperatorNorms;
import org.jlip.model.LipschitzSequential;
import org.jlip.model.ModelBound;
import org.jlip.model.ModelSpec;
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

  /**
   * Unit columns say nothing of a hidden layer's norm: 12 unit columns in 6 dimensions have a spectral norm of at
   * least sqrt(12/6), and every one of the next layer's outputs reads all of them. Inside a model the layer is
   * bounded by its SVD; only the head keeps the per-output bound.
   */
  @Test
  void aHiddenDisjointLayerIsBoundedAsAWhole() {
    ModelSpec spec = new ModelSpec("hidden", List.of(6), List.of(new FrobeniusDenseConfig(12, false, true, null,
        null), new FrobeniusDenseConfig(3, false, true, null, null)), null, false, null, null);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      LipschitzSequential model = new LipschitzSequential(spec);
      model.build(Ops.create(g), 5);
      s.initialize();
      float[] hidden = fetch(s, model.layers().get(0).stateVariables().get(0));
      float[] head = fetch(s, model.layers().get(1).stateVariables().get(0));
      ModelBound b = model.bound(s);
      double svd = singularValues(hidden, 6, 12)[0];
      assertTrue(svd >= Math.sqrt(2) - 1e-6, "unit columns: " + svd);
      assertEquals(svd, b.layers().get(0).measured(), 1e-6);
      assertFalse(b.layers().get(0).perOutput());
      assertEquals("svd", b.layers().get(0).method());
      assertTrue(b.layers().get(1).perOutput());
      assertTrue(b.perOutput());
      // The model is linear: logit j's gradient is W1 w2_j, which the per-logit bound must hold.
      for (int j = 0; j < 3; j++) {
        double sq = 0;
        for (int i = 0; i < 6; i++) {
          double dot = 0;
          for (int h = 0; h < 12; h++) {
            dot += hidden[i * 12 + h] * head[h * 3 + j];
          }
          sq += dot * dot;
        }
        assertTrue(Math.sqrt(sq) <= b.measured() * (1 + 1e-6), "logit " + j + ": " + Math.sqrt(sq) + " > "
            + b.measured());
      }
    }
  }

  @Test
  void rejectsWrongRankAndZeroUnits() {
    assertThrows(IllegalArgumentException.class, () -> new FrobeniusDenseConfig(0));
    try (Graph g = new Graph()) {
      FrobeniusDense layer = new FrobeniusDense(new FrobeniusDenseConfig(3));
      assertThrows(IllegalArgumentException.class, () -> layer.build(Ops.create(g), new long[] {2, 2}, 1));
      FrobeniusDense huge = new FrobeniusDense(new FrobeniusDenseConfig(2_000_000_000));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> huge.build(Ops.create(g), new long[] {288}, 1));
      assertTrue(e.getMessage().contains("a kernel of 576000000000 values is too large: at most 2^28"),
          e.getMessage());
    }
  }
}
