package org.jlip.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class ClassifierTest {

  @Test
  void readsSizesFromStaticShapesAndBuildsAttackOpsOnce() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Classifier c = TestClassifiers.linear(g, s, TestClassifiers.gaussian(12, 3, 1, 1), new float[3], 2, 3, 2);
      assertEquals(3, c.numClasses());
      assertEquals(2, c.height());
      assertEquals(3, c.width());
      assertEquals(2, c.channels());
      assertEquals(12, c.imageSize());
      assertSame(c.ops(), c.ops());
    }
  }

  @Test
  void twoClassifiersInOneGraphAreAttackedIndependently() {
    float[][] w1 = TestClassifiers.gaussian(4, 2, 1, 2);
    float[][] w2 = TestClassifiers.gaussian(4, 2, 1, 3);
    float[] x = TestClassifiers.uniform(20 * 4, 4);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Classifier c1 = TestClassifiers.linear(g, s, w1, new float[2], 2, 2, 1);
      Classifier c2 = TestClassifiers.linear(g, s, w2, new float[2], 2, 2, 1);
      for (Object[] pair : new Object[][] {{c1, w1}, {c2, w2}}) {
        float[][] w = (float[][]) pair[1];
        double[][] f = TestClassifiers.linearLogits(x, w, new float[2]);
        int[] y = Arrays.stream(f).mapToInt(TestClassifiers::argmax).toArray();
        MinimalNormResult r = MinimalNorm.run((Classifier) pair[0], x, y,
            MinimalNormConfig.defaults().withoutClipping().withSearch(0, 1, 1));
        for (int i = 0; i < y.length; i++) {
          assertEquals(TestClassifiers.exactDistance(f[i], y[i], w), r.norm()[i], 1e-3 * (1 + r.norm()[i]));
        }
      }
    }
  }

  @Test
  void rejectsShapesThatContradictTheSizes() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4, 4, 1)));
      Operand<TFloat32> logits = tf.reshape(x, tf.constant(new long[] {-1, 16}));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new Classifier(g, s, x, logits, 10, 4, 4, 1));
      assertTrue(e.getMessage().contains("logits shape"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> new Classifier(g, s, x, logits, 16, 5, 4, 1));
      assertTrue(e.getMessage().contains("input shape"), e.getMessage());
      Placeholder<TFloat32> flat = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 16)));
      e = assertThrows(IllegalArgumentException.class, () -> Classifier.of(g, s, flat, flat));
      assertTrue(e.getMessage().contains("[-1, H, W, C]"), e.getMessage());
    }
  }
}
