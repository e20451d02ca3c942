package org.jlip.layers;

import static org.jlip.layers.LayerTestSupport.fetch;
import static org.jlip.layers.LayerTestSupport.gaussian;
import static org.jlip.layers.LayerTestSupport.singularValues;
import static org.jlip.layers.LayerTestSupport.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class SpectralDenseTest {

  private static SpectralDenseConfig config(int units, int maxIterBjorck) {
    return new SpectralDenseConfig(units, null, null, null, null, null, maxIterBjorck, null, null);
  }

  /** Builds the layer, loads a Gaussian kernel, condenses {@code times} times (warm starts) and returns wbar. */
  private static float[] condensedRandomKernel(int in, int units, int maxIterBjorck, long seed, int times) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      SpectralDense layer = new SpectralDense(config(units, maxIterBjorck));
      layer.build(tf, new long[] {in}, seed);
      Op load = tf.assign(layer.trainableVariables().get(0),
          tf.constant(Shape.of(in, units), DataBuffers.of(gaussian(in * units, seed + 7), true, false)));
      List<Op> condense = layer.condense(tf);
      s.initialize();
      s.runner().addTarget(load).run();
      for (int i = 0; i < times; i++) {
        Session.Runner r = s.runner();
        condense.forEach(r::addTarget);
        r.run();
      }
      return fetch(s, layer.stateVariables().get(2));
    }
  }

  @Test
  void spectralNormalisationAloneBringsTheLargestSingularValueToOne() {
    for (int[] shape : new int[][] {{15, 32}, {64, 10}}) {
      double s1 = singularValues(condensedRandomKernel(shape[0], shape[1], 0, 11, 3), shape[0], shape[1])[0];
      assertEquals(1.0, s1, 5e-3, "largest singular value for " + shape[0] + "x" + shape[1]);
    }
  }

  @Test
  void bjorckBringsEverySingularValueToOne() {
    for (int[] shape : new int[][] {{15, 32}, {64, 10}}) {
      double[] sv = singularValues(condensedRandomKernel(shape[0], shape[1], 15, 12, 1), shape[0], shape[1]);
      for (double v : sv) {
        assertEquals(1.0, v, 1e-2, "singular values for " + shape[0] + "x" + shape[1]);
      }
    }
  }

  @Test
  void inferenceEqualsTrainingAfterUpdateAndChangesNoVariable() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      SpectralDense layer = new SpectralDense(new SpectralDenseConfig(6, null, 2.0, null, null, null, null, null,
          null));
      layer.build(tf, new long[] {9}, 3);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 9)));
      Operand<TFloat32> train = layer.call(tf, x, true);
      Operand<TFloat32> infer = layer.call(tf, x, false);
      Op load = tf.assign(layer.trainableVariables().get(0),
          tf.constant(Shape.of(9, 6), DataBuffers.of(gaussian(54, 5), true, false)));
      s.initialize();
      s.runner().addTarget(load).run();
      try (TFloat32 xt = tensor(gaussian(4 * 9, 6), 4, 9)) {
        float[] yTrain = fetch(s, train, x, xt);
        List<float[]> before = readAll(s, layer);
        float[] yInfer = fetch(s, infer, x, xt);
        float[] yInfer2 = fetch(s, infer, x, xt);
        List<float[]> after = readAll(s, layer);
        assertArrayEquals(yTrain, yInfer, 1e-5f);
        assertArrayEquals(yInfer, yInfer2, 0f);
        for (int i = 0; i < before.size(); i++) {
          assertArrayEquals(before.get(i), after.get(i), 0f, "variable " + i + " changed by inference");
        }
      }
      assertEquals(1, layer.stateUpdates().size() / 3);
      LayerBound b = layer.bound(s);
      assertEquals(2.0, b.nominal(), 0);
      assertEquals(2.0, b.measured(), 2e-2, "k = 2 scales the orthonormalised kernel");
    }
  }

  private static List<float[]> readAll(Session s, LipLayer layer) {
    List<float[]> out = new ArrayList<>();
    for (Variable<TFloat32> v : layer.trainableVariables()) {
      out.add(fetch(s, v));
    }
    for (Variable<TFloat32> v : layer.stateVariables()) {
      out.add(fetch(s, v));
    }
    return out;
  }

  @Test
  void boundEqualsAnIndependentSvd() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      SpectralDense layer = new SpectralDense(config(7, 2));
      layer.build(tf, new long[] {12}, 4);
      Op load = tf.assign(layer.stateVariables().get(2),
          tf.constant(Shape.of(12, 7), DataBuffers.of(gaussian(84, 9), true, false)));
      s.initialize();
      s.runner().addTarget(load).run();
      double expected = singularValues(gaussian(84, 9), 12, 7)[0];
      LayerBound b = layer.bound(s);
      assertEquals(expected, b.measured(), 1e-6 * expected);
      assertEquals("svd", b.method());
      assertEquals(1.0, layer.nominalLipschitz(), 0);
    }
  }

  @Test
  void badConfigurationNamesParameterAndValue() {
    IllegalArgumentException beta = assertThrows(IllegalArgumentException.class,
        () -> new SpectralDenseConfig(4, null, null, null, null, null, null, 0.7, null));
    assertTrue(beta.getMessage().contains("betaBjorck") && beta.getMessage().contains("0.7"), beta.getMessage());
    IllegalArgumentException zeroBeta = assertThrows(IllegalArgumentException.class,
        () -> new SpectralDenseConfig(4, null, null, null, null, null, null, 0.0, null));
    assertTrue(zeroBeta.getMessage().contains("betaBjorck"), zeroBeta.getMessage());
    IllegalArgumentException units = assertThrows(IllegalArgumentException.class,
        () -> new SpectralDenseConfig(0));
    assertTrue(units.getMessage().contains("units") && units.getMessage().contains("0"), units.getMessage());
    try (Graph g = new Graph()) {
      SpectralDense layer = new SpectralDense(new SpectralDenseConfig(3));
      IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
          () -> layer.build(Ops.create(g), new long[] {4, 4, 2}, 1));
      assertTrue(rank.getMessage().contains("[4, 4, 2]"), rank.getMessage());
    }
  }
}
