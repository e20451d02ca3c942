package org.jlip.layers;

import static org.jlip.layers.LayerTestSupport.convOperatorNorm;
import static org.jlip.layers.LayerTestSupport.fetch;
import static org.jlip.layers.LayerTestSupport.gaussian;
import static org.jlip.layers.LayerTestSupport.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jlip.normalize.ConvCoefficient;
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

class FrobeniusConv2DTest {

  @Test
  void kernelHasTheCoefficientAsFrobeniusNormAndTheBoundHolds() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      FrobeniusConv2D layer = new FrobeniusConv2D(new FrobeniusConv2DConfig(3, List.of(3, 3), null, null, null));
      assertArrayEquals(new long[] {6, 6, 3}, layer.build(tf, new long[] {6, 6, 2}, 1));
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 6, 6, 2)));
      Operand<TFloat32> train = layer.call(tf, x, true);
      Operand<TFloat32> infer = layer.call(tf, x, false);
      Op load = tf.assign(layer.trainableVariables().get(0),
          tf.constant(Shape.of(3, 3, 2, 3), DataBuffers.of(gaussian(54, 2), true, false)));
      s.initialize();
      s.runner().addTarget(load).run();
      try (TFloat32 xt = tensor(gaussian(2 * 72, 3), 2, 6, 6, 2)) {
        assertArrayEquals(fetch(s, train, x, xt), fetch(s, infer, x, xt), 1e-5f);
      }
      float[] wbar = fetch(s, layer.stateVariables().get(0));
      double f = 0;
      for (float v : wbar) {
        f += v * v;
      }
      assertEquals(ConvCoefficient.of(3, 3, 1, 1, 6, 6), Math.sqrt(f), 1e-6);
      LayerBound b = layer.bound(s);
      double exact = convOperatorNorm(wbar, 3, 3, 2, 3, 6, 6, 1, "SAME");
      assertTrue(b.measured() >= exact * (1 - 1e-6) && exact <= 1 + 1e-6, b + " vs true norm " + exact);
      assertEquals("dft", b.method());
    }
  }

  @Test
  void rejectsWrongRank() {
    try (Graph g = new Graph()) {
      FrobeniusConv2D layer = new FrobeniusConv2D(new FrobeniusConv2DConfig(3, null, null, null, null));
      assertThrows(IllegalArgumentException.class, () -> layer.build(Ops.create(g), new long[] {6, 6}, 1));
    }
  }
}
