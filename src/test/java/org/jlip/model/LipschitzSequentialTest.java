package org.jlip.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.jlip.data.Dataset;
import org.jlip.layers.DenseConfig;
import org.jlip.layers.FlattenConfig;
import org.jlip.layers.FrobeniusDenseConfig;
import org.jlip.layers.GroupSort2Config;
import org.jlip.layers.LayerBound;
import org.jlip.layers.LayerConfig;
import org.jlip.layers.MaxPooling2DConfig;
import org.jlip.layers.ReLUConfig;
import org.jlip.layers.ScaledL2NormPooling2DConfig;
import org.jlip.layers.SpectralConv2DConfig;
import org.jlip.layers.SpectralDenseConfig;
import org.jlip.testing.LipschitzHarness;
import org.jlip.train.Device;
import org.jlip.train.TrainOptions;
import org.jlip.train.Trainer;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The model as a whole: its reported bound holds (and is tight) after training. */
class LipschitzSequentialTest {

  private static ModelSpec sixLayers(LayerConfig head) {
    return new ModelSpec("six", List.of(8, 8, 1), List.of(
        new SpectralConv2DConfig(4, 3),
        new GroupSort2Config(),
        new ScaledL2NormPooling2DConfig(),
        new FlattenConfig(),
        new SpectralDenseConfig(16),
        head), null, null, null,
        new TrainingSpec(LossSpec.of("MulticlassHKR"), null, 1e-2, null, null, null, 32, 1));
  }

  /** 50 Adam steps on random data; then the model's bound is checked by gradient ascent on its inputs. */
  private static double[] trainAndMeasure(ModelSpec spec, boolean perOutput) {
    SplittableRandom rnd = new SplittableRandom(3);
    int n = 50 * 32;
    float[] images = new float[n * 64];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = rnd.nextInt(3);
      for (int j = 0; j < 64; j++) {
        images[i * 64 + j] = (float) (rnd.nextDouble() + 0.3 * labels[i] * (j % 3 == labels[i] ? 1 : 0));
      }
    }
    Dataset data = new Dataset(images, labels, 8, 8, 1, 3, null);
    TrainOptions opts = new TrainOptions(spec.training(), 11, null, false, 1, 1, Device.CPU, List.of(0.1));
    try (Trainer t = new Trainer(spec, opts)) {
      t.session().initialize();
      data.batches(32, true).forEach(t::step);
      t.condense();
      ModelBound bound = t.model().bound(t.session());
      double found = LipschitzHarness.estimate(t.session(), t.model().input(), t.model().inferenceOutput(),
          LipschitzHarness.Options.defaults().withPerOutput(perOutput));
      System.out.printf("six-layer model after 50 steps: harness %.5f, measured bound %.5f, estimate %.5f%n",
          found, bound.measured(), bound.estimate());
      return new double[] {found, bound.measured(), bound.estimate()};
    }
  }

  @Test
  void disjointHeadBoundHoldsPerLogitAfterTraining() {
    double[] r = trainAndMeasure(sixLayers(new FrobeniusDenseConfig(3, false, true, null, null)), true);
    assertTrue(r[0] <= 1.02 * r[1], "harness found " + r[0] + " > 1.02 x reported " + r[1]);
    assertTrue(r[1] >= r[2], "measured bound " + r[1] + " below the layers' lower estimates " + r[2]);
  }

  @Test
  void wholeVectorHeadBoundHoldsAfterTraining() {
    double[] r = trainAndMeasure(sixLayers(new SpectralDenseConfig(3)), false);
    assertTrue(r[0] <= 1.02 * r[1], "harness found " + r[0] + " > 1.02 x reported " + r[1]);
  }

  @Test
  void inferenceEqualsTrainingAfterTheStateUpdateAndNeverChangesAVariable() {
    ModelSpec spec = sixLayers(new FrobeniusDenseConfig(3, false, true, null, null));
    try (Graph g = new Graph(); Session s = new Session(g)) {
      LipschitzSequential m = new LipschitzSequential(spec);
      m.build(Ops.create(g), 5);
      s.initialize();
      float[] x = new float[4 * 64];
      SplittableRandom rnd = new SplittableRandom(1);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) rnd.nextDouble();
      }
      float[] training = run(s, m, m.trainingOutput(), x);
      float[] state = variables(s, m);
      float[] inference = run(s, m, m.inferenceOutput(), x);
      assertArrayEquals(training, inference, 1e-5f);
      run(s, m, m.inferenceOutput(), x);
      assertArrayEquals(state, variables(s, m), 0f);
    }
  }

  @Test
  void refusesUnconstrainedLayersUnlessAllowed() {
    ModelSpec spec = new ModelSpec(List.of(4), List.of(new SpectralDenseConfig(3), new DenseConfig(2)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LipschitzSequential(spec));
    assertTrue(e.getMessage().contains("layer 1 (Dense) is not Lipschitz"), e.getMessage());
    new LipschitzSequential(new ModelSpec(null, List.of(4), spec.layers(), null, true, null, null));
  }

  @Test
  void spreadsTheModelCoefficientAndNamesLayersUniquely() {
    ModelSpec spec = new ModelSpec(null, List.of(4), List.of(new SpectralDenseConfig(4), new GroupSort2Config(),
        new SpectralDenseConfig(2)), 8.0, null, null, null);
    LipschitzSequential m = new LipschitzSequential(spec);
    assertEquals(8.0, m.nominalLipschitz(), 1e-9);
    assertEquals(List.of("spectral_dense", "group_sort2", "spectral_dense_1"),
        m.layers().stream().map(l -> l.name()).toList());
    try (Graph g = new Graph(); Session s = new Session(g)) {
      m.build(Ops.create(g), 1);
      s.initialize();
      ModelBound b = m.bound(s);
      assertEquals(8.0, b.nominal(), 1e-9);
      for (LayerBound lb : b.layers()) {
        assertEquals(2.0, lb.nominal(), 1e-9);
      }
    }
  }

  /**
   * Weight-free layers fixed at 1 (Flatten, ReLU, MaxPooling2D) take no share of kCoefLip, as in deel-lip: the
   * model's nominal constant is kCoefLip itself, spread over the layers that have a coefficient.
   */
  @Test
  void weightFreeUnitLayersTakeNoShareOfTheModelCoefficient() {
    ModelSpec spec = new ModelSpec(null, List.of(4, 4, 1), List.of(new SpectralConv2DConfig(2, 3),
        new ReLUConfig(null), new MaxPooling2DConfig(List.of(2, 2), null), new FlattenConfig(),
        new SpectralDenseConfig(3)), 2.0, null, null, null);
    LipschitzSequential m = new LipschitzSequential(spec);
    assertEquals(2.0, m.nominalLipschitz(), 1e-9);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      m.build(Ops.create(g), 1);
      s.initialize();
      List<Double> nominal = m.bound(s).layers().stream().map(LayerBound::nominal).toList();
      assertEquals(List.of(Math.sqrt(2), 1.0, 1.0, 1.0, Math.sqrt(2)), nominal);
    }
  }

  @Test
  void wrongInputRankNamesTheLayer() {
    ModelSpec spec = new ModelSpec(List.of(28, 28, 1), List.of(new SpectralDenseConfig(3)));
    try (Graph g = new Graph()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new LipschitzSequential(spec).build(Ops.create(g), 1));
      assertTrue(e.getMessage().startsWith("layer 0 (SpectralDense)"), e.getMessage());
      assertTrue(e.getMessage().contains("[28, 28, 1]"), e.getMessage());
    }
  }

  private static float[] run(Session s, LipschitzSequential m, org.tensorflow.Operand<TFloat32> out, float[] x) {
    try (TFloat32 in = TFloat32.tensorOf(Shape.of(x.length / 64, 8, 8, 1), DataBuffers.of(x, true, false));
        Result r = s.runner().feed(m.input(), in).fetch(out).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] a = new float[(int) t.shape().size()];
      t.copyTo(DataBuffers.of(a, false, false));
      return a;
    }
  }

  private static float[] variables(Session s, LipschitzSequential m) {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    List<org.tensorflow.op.core.Variable<TFloat32>> vars = new java.util.ArrayList<>(m.trainableVariables());
    vars.addAll(m.stateVariables());
    float[] out = new float[0];
    for (var v : vars) {
      try (Result r = s.runner().fetch(v).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        float[] a = new float[(int) t.shape().size()];
        t.copyTo(DataBuffers.of(a, false, false));
        float[] joined = java.util.Arrays.copyOf(out, out.length + a.length);
        System.arraycopy(a, 0, joined, out.length, a.length);
        out = joined;
      }
    }
    return out;
  }
}
