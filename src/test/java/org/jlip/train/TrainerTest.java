package org.jlip.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jlip.data.Batch;
import org.jlip.data.Dataset;
import org.jlip.data.FashionMnist;
import org.jlip.data.Split;
import org.jlip.layers.DenseConfig;
import org.jlip.layers.FlattenConfig;
import org.jlip.layers.FrobeniusDenseConfig;
import org.jlip.layers.GroupSort2Config;
import org.jlip.layers.ReLUConfig;
import org.jlip.layers.SpectralDenseConfig;
import org.jlip.model.LossSpec;
import org.jlip.model.ModelJson;
import org.jlip.model.ModelSpec;
import org.jlip.model.TrainingSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.types.TFloat32;

class TrainerTest {
  private static Dataset train;
  private static Dataset validation;

  @BeforeAll
  static void data() throws IOException {
    train = FashionMnist.load(Split.TRAIN).take(2000);
    validation = FashionMnist.load(Split.TEST).take(500);
  }

  private static ModelSpec mlp() {
    return new ModelSpec("mlp", List.of(28, 28, 1),
        List.of(new FlattenConfig(), new DenseConfig(32), new ReLUConfig(null), new DenseConfig(10)),
        null, true, null, null);
  }

  private static TrainOptions options(int epochs, Path out, boolean resume) {
    TrainingSpec t = new TrainingSpec(LossSpec.of("CategoricalCrossentropy"), null, 3e-3, null, null, null, 100,
        epochs);
    return new TrainOptions(t, 7, out, resume, 1, 1, Device.CPU, null);
  }

  @Test
  void shortRunDrivesTheLossDownAndTheAccuracyUp() throws IOException {
    try (Trainer trainer = new Trainer(mlp(), options(3, null, false))) {
      List<EpochMetrics> h = trainer.fit(train, validation);
      assertEquals(3, h.size());
      assertTrue(h.get(2).trainLoss() < 0.8 * h.get(0).trainLoss(), h.toString());
      assertTrue(h.get(2).valAccuracy() > 0.7, "accuracy " + h.get(2).valAccuracy());
      assertTrue(h.get(2).valAccuracy() >= h.get(0).valAccuracy(), h.toString());
    }
  }

  /**
   * A model whose input is a vector (no Flatten) trains on images of its size: batches take the model's input
   * shape. The same model on data of another size is refused naming both shapes, before any step.
   */
  @Test
  void aVectorModelTrainsOnImagesOfItsSizeAndOtherSizesAreRefused() throws IOException {
    ModelSpec vector = new ModelSpec("vector", List.of(784),
        List.of(new DenseConfig(32), new ReLUConfig(null), new DenseConfig(10)), null, true, null, null);
    try (Trainer trainer = new Trainer(vector, options(2, null, false))) {
      List<EpochMetrics> h = trainer.fit(train, validation);
      assertTrue(h.get(1).valAccuracy() > 0.6, "accuracy " + h.get(1).valAccuracy());
    }
    ModelSpec wrong = new ModelSpec("wrong", List.of(100), List.of(new DenseConfig(10)), null, true, null, null);
    try (Trainer trainer = new Trainer(wrong, options(1, null, false))) {
      var e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(train, validation));
      assertTrue(e.getMessage().contains("takes inputs of shape [100] but the training data holds images of shape"
          + " [28, 28, 1]"), e.getMessage());
    }
  }

  @Test
  void resumeReachesTheSameWeightsAsAnUninterruptedRun(@TempDir Path dir) throws IOException {
    List<float[]> straight = uninterrupted(2, dir.resolve("a"));
    try (Trainer first = new Trainer(mlp(), options(1, dir.resolve("b"), false))) {
      first.fit(train, validation);
    }
    List<float[]> resumed;
    try (Trainer second = new Trainer(mlp(), options(2, dir.resolve("b"), true))) {
      List<EpochMetrics> h = second.fit(train, validation);
      assertEquals(List.of(1, 2), h.stream().map(EpochMetrics::epoch).toList());
      resumed = weights(second);
    }
    assertSameWeights(straight, resumed);
    assertEquals(2, Files.readAllLines(dir.resolve("b").resolve(Trainer.METRICS_FILE)).size());
  }

  /** The weights after {@code epochs} epochs of the MLP, trained in one go. */
  private static List<float[]> uninterrupted(int epochs, Path out) throws IOException {
    try (Trainer trainer = new Trainer(mlp(), options(epochs, out, false))) {
      trainer.fit(train, validation);
      return weights(trainer);
    }
  }

  private static void assertSameWeights(List<float[]> expected, List<float[]> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), 1e-6f, "variable " + i);
    }
  }

  private static TrainOptions withCheckpointing(TrainOptions o, double interval, boolean dropRemainder) {
    return new TrainOptions(o.training(), o.seed(), o.outDir(), o.resume(), o.intraOpThreads(),
        o.interOpThreads(), o.device(), o.eps(), o.xla(), o.validationFreq(), interval, dropRemainder);
  }

  /**
   * With a checkpoint interval longer than the run, only the run's first epoch writes one before the end. A run
   * killed later (here by divergence at epoch 3) resumes from that epoch, trains epoch 2 again, replaces its
   * metrics line, and reaches the uninterrupted run's weights.
   */
  @Test
  void aCheckpointIntervalSkipsEpochsAndAResumeTrainsThemAgain(@TempDir Path dir) throws IOException {
    List<float[]> straight = uninterrupted(3, dir.resolve("a"));
    Path b = dir.resolve("b");
    try (Trainer first = new Trainer(mlp(), withCheckpointing(options(3, b, false), 3600, false))) {
      first.schedule(epoch -> epoch < 3 ? 3e-3 : Double.NaN);
      assertThrows(TrainingDivergedException.class, () -> first.fit(train, validation));
    }
    assertEquals(1, ModelJson.mapper().readTree(b.resolve(Trainer.CHECKPOINT_DIR).resolve("state.json").toFile())
        .path("epoch").asInt());
    assertEquals(2, Files.readAllLines(b.resolve(Trainer.METRICS_FILE)).size());
    List<float[]> resumed;
    try (Trainer second = new Trainer(mlp(), withCheckpointing(options(3, b, true), 3600, false))) {
      List<EpochMetrics> h = second.fit(train, validation);
      assertEquals(List.of(1, 2, 3), h.stream().map(EpochMetrics::epoch).toList());
      resumed = weights(second);
    }
    assertSameWeights(straight, resumed);
    List<String> lines = Files.readAllLines(b.resolve(Trainer.METRICS_FILE));
    assertEquals(3, lines.size(), lines.toString());
    for (int e = 1; e <= 3; e++) {
      assertTrue(lines.get(e - 1).startsWith("{\"epoch\":" + e + ","), lines.toString());
    }
  }

  /** Dropping the remainder: 250 examples in batches of 100 make 2 steps, not 3; fewer than a batch, none. */
  @Test
  void dropRemainderSkipsTheLastPartialBatch(@TempDir Path dir) throws IOException {
    try (Trainer trainer = new Trainer(mlp(), withCheckpointing(options(1, dir, false), 0, true))) {
      trainer.fit(train.take(250), validation);
      assertEquals(2, trainer.stepLosses().size());
    }
    assertEquals(2, Files.readString(dir.resolve("step-losses-epoch1.json")).split(",").length);
    try (Trainer trainer = new Trainer(mlp(), withCheckpointing(options(1, null, false), 0, true))) {
      var e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(train.take(50), validation));
      assertTrue(e.getMessage().contains("50 training examples, batch size 100"), e.getMessage());
    }
  }

  @Test
  void nanLearningRateStopsWithAClearErrorAndKeepsTheCheckpoint(@TempDir Path dir) throws Exception {
    try (Trainer first = new Trainer(mlp(), options(1, dir, false))) {
      first.fit(train, validation);
    }
    Path ckpt = dir.resolve(Trainer.CHECKPOINT_DIR);
    String before = digest(ckpt);
    try (Trainer second = new Trainer(mlp(), options(2, dir, true))) {
      second.schedule(epoch -> Double.NaN);
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
          () -> second.fit(train, validation));
      assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("epoch 2"), e.getMessage());
      assertTrue(e.getMessage().contains(ckpt.toString()), e.getMessage());
    }
    assertEquals(before, digest(ckpt));
    try (Trainer third = new Trainer(mlp(), options(2, dir, true))) {
      assertEquals(1, third.restore(ckpt));
    }
  }

  private static TrainOptions withValidationFreq(TrainOptions o, int freq) {
    return new TrainOptions(o.training(), o.seed(), o.outDir(), o.resume(), o.intraOpThreads(),
        o.interOpThreads(), o.device(), o.eps(), o.xla(), freq);
  }

  /** A small Lipschitz model with a stateful loss and layer state: what validation must leave untouched. */
  private static ModelSpec softHkr() {
    return new ModelSpec("soft", List.of(28, 28, 1),
        List.of(new FlattenConfig(), new SpectralDenseConfig(32), new GroupSort2Config(), new FrobeniusDenseConfig(10)),
        null, false, null, null);
  }

  /**
   * Validating every 3rd epoch instead of every epoch changes no weight or loss: validation reads the model and
   * moves no state (layer vectors, the soft HKR's running mean, the optimizer).
   */
  @Test
  void validationFrequencyLeavesTrainingUnchanged() throws IOException {
    TrainOptions o = new TrainOptions(
        new TrainingSpec(LossSpec.of("MulticlassSoftHKR"), null, 3e-3, null, null, null, 100, 3),
        7, null, false, 1, 1, Device.CPU, null);
    List<float[]> every;
    List<Float> everyLosses;
    try (Trainer trainer = new Trainer(softHkr(), o)) {
      assertTrue(trainer.fit(train, validation).stream().allMatch(EpochMetrics::validated));
      every = weights(trainer);
      everyLosses = trainer.stepLosses();
    }
    try (Trainer trainer = new Trainer(softHkr(), withValidationFreq(o, 3))) {
      List<EpochMetrics> h = trainer.fit(train, validation);
      assertEquals(List.of(false, false, true), h.stream().map(EpochMetrics::validated).toList());
      assertEquals(everyLosses, trainer.stepLosses());
      List<float[]> sparse = weights(trainer);
      for (int i = 0; i < every.size(); i++) {
        assertArrayEquals(every.get(i), sparse.get(i), "variable " + i);
      }
    }
  }

  /** Unvalidated epochs are written without validation fields, read back on resume, and the last one validates. */
  @Test
  void unvalidatedEpochsRoundTripThroughTheMetricsFile(@TempDir Path dir) throws IOException {
    try (Trainer trainer = new Trainer(mlp(), withValidationFreq(options(3, dir, false), 2))) {
      List<EpochMetrics> h = trainer.fit(train, validation);
      assertEquals(List.of(false, true, true), h.stream().map(EpochMetrics::validated).toList());
      assertTrue(h.get(2).valAccuracy() > 0.5, h.toString());
    }
    List<String> lines = Files.readAllLines(dir.resolve(Trainer.METRICS_FILE));
    assertEquals(3, lines.size());
    assertTrue(!lines.get(0).contains("valLoss") && !lines.get(0).contains("validated"), lines.get(0));
    assertTrue(lines.get(1).contains("\"valAccuracy\""), lines.get(1));
    try (Trainer trainer = new Trainer(mlp(), withValidationFreq(options(5, dir, true), 2))) {
      List<EpochMetrics> h = trainer.fit(train, validation);
      assertEquals(List.of(false, true, true, true, true), h.stream().map(EpochMetrics::validated).toList());
      assertEquals(List.of(1, 2, 3, 4, 5), h.stream().map(EpochMetrics::epoch).toList());
    }
    assertThrows(IllegalArgumentException.class, () -> withValidationFreq(options(1, null, false), 0));
  }

  /** A model file may name the sparse tau loss: on the trainer's one-hot labels it trains as the dense one. */
  @Test
  void sparseTauLossTrainsLikeTheDenseOne() throws IOException {
    List<List<Float>> losses = new ArrayList<>();
    for (String type : List.of("TauSparseCategoricalCrossentropy", "TauCategoricalCrossentropy")) {
      LossSpec loss = new LossSpec(type, null, null, 5.0, null, null);
      TrainOptions o = new TrainOptions(new TrainingSpec(loss, null, 3e-3, null, null, null, 100, 1), 7, null,
          false, 1, 1, Device.CPU, null);
      try (Trainer trainer = new Trainer(mlp(), o)) {
        trainer.fit(train, validation);
        losses.add(trainer.stepLosses());
      }
    }
    assertEquals(losses.get(1), losses.get(0));
  }

  /** A time limit makes an unscheduled epoch the last one: it is validated all the same. */
  @Test
  void theEpochATimeLimitEndsOnIsValidated() throws IOException {
    try (Trainer trainer = new Trainer(mlp(), withValidationFreq(options(3, null, false), 10))) {
      trainer.timeLimit(1e-3);
      List<EpochMetrics> h = trainer.fit(train, validation);
      assertEquals(1, h.size());
      assertTrue(h.get(0).validated(), h.toString());
    }
  }

  /** The limit stops at an epoch boundary, after at least one epoch; a generous one changes nothing. */
  @Test
  void timeLimitStopsAtAnEpochBoundary(@TempDir Path dir) throws IOException {
    try (Trainer trainer = new Trainer(mlp(), options(3, dir.resolve("short"), false))) {
      trainer.timeLimit(1e-3);
      assertEquals(1, trainer.fit(train, validation).size());
      assertEquals(1, Files.readAllLines(dir.resolve("short").resolve(Trainer.METRICS_FILE)).size());
    }
    try (Trainer trainer = new Trainer(mlp(), options(3, null, false))) {
      trainer.timeLimit(3600);
      assertEquals(3, trainer.fit(train, validation).size());
    }
    assertThrows(IllegalArgumentException.class, () -> {
      try (Trainer trainer = new Trainer(mlp(), options(1, null, false))) {
        trainer.timeLimit(0);
      }
    });
  }

  /** TensorFlow clusters GPU ops only: on the CPU, --xla must leave training exactly as it was. */
  @Test
  void xlaLeavesCpuTrainingUnchanged() {
    List<Batch> batches = new ArrayList<>();
    train.batches(100, false).forEach(batches::add);
    float[] losses = new float[2];
    for (int run = 0; run < 2; run++) {
      TrainOptions o = options(1, null, false);
      o = new TrainOptions(o.training(), o.seed(), null, false, o.intraOpThreads(), o.interOpThreads(), Device.CPU,
          null, run == 1, 1);
      try (Trainer t = new Trainer(mlp(), o)) {
        t.session().initialize();
        for (int i = 0; i < 3; i++) {
          losses[run] = t.step(batches.get(i));
        }
      }
    }
    assertEquals(losses[0], losses[1], 0f);
  }

  /** A traced step trains like a plain one, and its trace covers the backward pass and the update. */
  @Test
  void tracedStepTrainsAndListsTheStepsOps() {
    List<Batch> batches = new ArrayList<>();
    train.batches(100, false).forEach(batches::add);
    float plain;
    try (Trainer t = new Trainer(mlp(), options(1, null, false))) {
      t.session().initialize();
      t.step(batches.get(0));
      plain = t.step(batches.get(1));
    }
    try (Trainer t = new Trainer(mlp(), options(1, null, false))) {
      t.session().initialize();
      RunMetadata trace = t.traceStep(batches.get(0));
      assertEquals(plain, t.step(batches.get(1)), 0f);
      assertEquals("CPU:0", Placement.mainDevice(Placement.nodesPerDevice(trace)));
      Map<String, Integer> ops = Placement.opsOn(trace, "CPU:0", t.graph());
      for (String type : List.of("MatMul", "Relu", "ReluGrad", "ApplyAdam")) {
        assertTrue(ops.containsKey(type), type + " not in the traced step's ops " + ops);
      }
      assertEquals(1, ops.get("ReluGrad"), ops.toString());
    }
  }

  /** The trainable variables' values, in order. */
  static List<float[]> weights(Trainer t) {
    List<float[]> out = new ArrayList<>();
    Session s = t.session();
    for (Variable<TFloat32> v : t.model().trainableVariables()) {
      try (Result r = s.runner().fetch(v).run()) {
        TFloat32 x = (TFloat32) r.get(0);
        float[] a = new float[(int) x.shape().size()];
        x.copyTo(DataBuffers.of(a, false, false));
        out.add(a);
      }
    }
    return out;
  }

  private static String digest(Path dir) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        md.update(p.getFileName().toString().getBytes());
        md.update(Files.readAllBytes(p));
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
