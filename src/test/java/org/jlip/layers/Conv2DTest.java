package org.jlip.layers;

import static org.jlip.layers.LayerTestSupport.convOperatorNorm;
import static org.jlip.layers.LayerTestSupport.fetch;
import static org.jlip.layers.LayerTestSupport.gaussian;
import static org.jlip.layers.LayerTestSupport.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class Conv2DTest {

  @Test
  void validAndSameShapesAndBounds() {
    for (String padding : new String[] {"same", "valid"}) {
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        Conv2D layer = new Conv2D(new Conv2DConfig(3, List.of(3, 3), List.of(2, 2), padding, null, null));
        long[] out = layer.build(tf, new long[] {7, 7, 2}, 4);
        assertArrayEquals("same".equals(padding) ? new long[] {4, 4, 3} : new long[] {3, 3, 3}, out);
        Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 7, 7, 2)));
        Operand<TFloat32> y = layer.call(tf, x, true);
        s.initialize();
        try (TFloat32 xt = tensor(gaussian(98, 5), 1, 7, 7, 2)) {
          assertEquals(out[0] * out[1] * out[2], fetch(s, y, x, xt).length);
        }
        float[] kernel = fetch(s, layer.trainableVariables().get(0));
        double exact = convOperatorNorm(kernel, 3, 3, 2, 3, 7, 7, 2, padding.toUpperCase());
        LayerBound b = layer.bound(s);
        assertTrue(b.measured() >= exact * (1 - 1e-6), padding + ": " + b + " vs " + exact);
        assertTrue(b.estimate() <= exact * (1 + 1e-9) && b.estimate() >= exact * (1 - 1e-3), b + " vs " + exact);
        assertEquals(Double.POSITIVE_INFINITY, layer.nominalLipschitz());
        assertFalse(layer.isLipschitz());
      }
    }
  }

  @Test
  void rejectsWrongRankAndTooSmallValidInput() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      assertThrows(IllegalArgumentException.class,
          () -> new Conv2D(new Conv2DConfig(3, null, null, null, null, null)).build(tf, new long[] {5}, 1));
      assertThrows(IllegalArgumentException.class,
          () -> new Conv2D(new Conv2DConfig(3, null, null, "valid", null, "c")).build(tf, new long[] {2, 2, 1}, 1));
    }
  }
}
