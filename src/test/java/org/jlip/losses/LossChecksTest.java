package org.jlip.losses;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/** Bad parameters and shapes are refused with messages naming the problem. */
class LossChecksTest {

  private static void assertMessage(Class<? extends Throwable> type, Executable call, String... parts) {
    Throwable t = assertThrows(type, call);
    for (String p : parts) {
      assertTrue(t.getMessage().contains(p), "message '" + t.getMessage() + "' should contain '" + p + "'");
    }
  }

  @Test
  void badParametersNameTheParameterAndTheValue() {
    assertMessage(IllegalArgumentException.class, () -> new HingeMargin(-0.5), "minMargin", "-0.5");
    assertMessage(IllegalArgumentException.class, () -> new MulticlassHKR(Double.NaN, 1), "alpha", "NaN");
    assertMessage(IllegalArgumentException.class, () -> new HKR(10, Double.NaN), "minMargin", "NaN");
    assertMessage(IllegalArgumentException.class, () -> new TauCategoricalCrossentropy(-1), "tau", "-1.0");
    assertMessage(IllegalArgumentException.class, () -> new TauBinaryCrossentropy(Double.NaN), "tau", "NaN");
    assertMessage(IllegalArgumentException.class, () -> new MulticlassSoftHKR(10, 1, 1.0, 1), "alphaMean", "1.0");
    assertMessage(IllegalArgumentException.class, () -> new MulticlassSoftHKR(10, 1, -0.1, 1), "alphaMean",
        "-0.1");
    assertMessage(IllegalArgumentException.class, () -> new MulticlassSoftHKR(10, 1, 0.9, 0), "temperature", "0.0");
    assertMessage(IllegalArgumentException.class, () -> new MultiMargin(-2), "minMargin", "-2.0");
    assertMessage(IllegalArgumentException.class, () -> new CategoricalHinge(Double.NaN), "minMargin", "NaN");
  }

  @Test
  void staticShapeProblemsThrowNamingTheShapes() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat64> f63 = tf.constant(new double[6][3]);
      assertMessage(IllegalArgumentException.class,
          () -> new MulticlassHKR().call(tf, tf.constant(new double[6][2]), f63, null), "[6, 2]", "[6, 3]");
      assertMessage(IllegalArgumentException.class,
          () -> new KR().call(tf, tf.constant(new double[5][1]), tf.constant(new double[6][1]), null),
          "[5, 1]", "[6, 1]");
      assertMessage(IllegalArgumentException.class,
          () -> new MulticlassHinge().call(tf, tf.constant(new double[6][1]), tf.constant(new double[6][1]), null),
          "multi-class", "[6, 1]");
      assertMessage(IllegalArgumentException.class,
          () -> new TauSparseCategoricalCrossentropy(1).call(tf, tf.constant(new int[6][2]), f63, null),
          "[6, 2]", "[6, 3]");
    }
  }

  @Test
  void dynamicShapeProblemsFailAGraphAssertionNamingTheProblem() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat64> y = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, -1)));
      Placeholder<TFloat64> f = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, -1)));
      Operand<TFloat64> hkr = new MulticlassHKR().call(tf, y, f, null);
      Operand<TFloat64> kr = new KR().call(tf, y, f, null);
      Placeholder<TInt32> ids = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat64> sparse = new TauSparseCategoricalCrossentropy(1).call(tf, ids, f, null);
      s.initialize();
      try (TFloat64 y62 = TFloat64.tensorOf(Shape.of(6, 2)); TFloat64 f63 = TFloat64.tensorOf(Shape.of(6, 3));
          TFloat64 f61 = TFloat64.tensorOf(Shape.of(6, 1)); TFloat64 y61 = TFloat64.tensorOf(Shape.of(6, 1));
          TInt32 badIds = TInt32.vectorOf(0, 1, 2, 3, 0, 1)) {
        assertMessage(TFInvalidArgumentException.class,
            () -> s.runner().feed(y, y62).feed(f, f63).fetch(hkr).run().close(),
            "labels shape does not match predictions shape", "[6 2]", "[6 3]");
        assertMessage(TFInvalidArgumentException.class,
            () -> s.runner().feed(y, y61).feed(f, f61).fetch(hkr).run().close(),
            "needs at least 2 prediction columns", "[6 1]");
        assertMessage(TFInvalidArgumentException.class,
            () -> s.runner().feed(ids, badIds).feed(f, f63).fetch(sparse).run().close(),
            "class labels must be in [0, classes)");
        // A consistent feed passes the same assertions.
        s.runner().feed(y, y61).feed(f, f61).fetch(kr).run().close();
      }
    }
  }
}
