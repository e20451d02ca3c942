package org.jlip.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.jlip.data.Batch;
import org.jlip.data.Dataset;
import org.jlip.io.AtomicFiles;
import org.jlip.io.JsonLines;
import org.jlip.io.Progress;
import org.jlip.losses.LipLoss;
import org.jlip.model.LipschitzSequential;
import org.jlip.model.LossParamSchedule;
import org.jlip.model.ModelBound;
import org.jlip.model.ModelJson;
import org.jlip.model.ModelSpec;
import org.jlip.model.TrainedModel;
import org.jlip.model.TrainingSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.types.TFloat32;

/**
 * Trains a {@link LipschitzSequential} in one TensorFlow graph: Adam on the trainable variables only, the layers'
 * state updated in the same run as each step, the model condensed after each epoch and validated as scheduled
 * ({@link TrainOptions#validationFreq()}, and always after the last epoch), a checkpoint
 * written atomically per epoch (or per {@link TrainOptions#checkpointInterval()}) and metrics appended as JSON
 * lines. The same trainer trains unconstrained
 * baselines (a spec with allowNonLipschitz and a cross-entropy loss).
 */
public final class Trainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
  public static final String CHECKPOINT_DIR = TrainedModel.CHECKPOINT_DIR;
  public static final String METRICS_FILE = "metrics.jsonl";
  private static final String PREFIX = TrainedModel.CHECKPOINT_PREFIX;
  private static final int EVAL_BATCH = 1000;

  private final ModelSpec spec;
  private final TrainOptions opts;
  private final TrainingSpec training;
  private final Graph graph;
  private final Session session;
  private final LipschitzSequential model;
  private final LipLoss loss;
  private final LipLoss valLoss;
  /** Each scheduled parameter's value last set, so that a step sets only what changed. */
  private final double[] scheduled;
  private final Placeholder<TFloat32> labels;
  private final Operand<TFloat32> lossOp;
  private final Operand<TFloat32> valLossOp;
  private final Operand<TFloat32> valKrOp;
  private final AdamOptimizer adam;
  private final List<Op> condense;
  private final int outputs;
  private IntToDoubleFunction schedule;
  private final List<Float> stepLosses = new ArrayList<>();
  private final boolean onGpu;
  private boolean placementLogged;
  private long limitNanos = Long.MAX_VALUE;
  private long limitStartNanos;

  public Trainer(ModelSpec spec, TrainOptions opts) {
    this.spec = spec;
    this.opts = opts;
    this.training = opts.training();
    graph = new Graph();
    try {
      onGpu = Sessions.usesGpu(opts.device());
      Ops tf = Sessions.place(Ops.create(graph), onGpu, opts.device());
      model = new LipschitzSequential(spec);
      model.build(tf, opts.seed());
      long[] out = model.outputShape();
      if (out.length != 1) {
        throw new IllegalArgumentException("a classifier's output must be flat [classes], got "
            + Arrays.toString(out) + ": end the model with Flatten and a dense layer");
      }
      outputs = (int) out[0];
      if (spec.classNames() != null && spec.classNames().size() != Math.max(outputs, 2)) {
        throw new IllegalArgumentException("classNames has " + spec.classNames().size() + " names but the model has "
            + outputs + " output" + (outputs == 1 ? " (a single logit takes two names)" : "s"));
      }
      labels = tf.withName("y").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, outputs)));
      loss = LossFactory.create(training.loss());
      lossOp = loss.call(tf, labels, model.trainingOutput(), null);
      // Validation uses its own instances: a stateful loss (soft HKR) must not move its state on held-out data.
      valLoss = LossFactory.create(training.loss());
      valLossOp = valLoss.call(tf, labels, model.inferenceOutput(), null);
      scheduled = new double[training.schedules().size()];
      Arrays.fill(scheduled, Double.NaN);
      valKrOp = LossFactory.krTerm(outputs).call(tf, labels, model.inferenceOutput(), null);
      adam = new AdamOptimizer(graph, tf, lossOp, model.trainableVariables(), training.learningRate(),
          training.beta1(), training.beta2(), training.reprojectKernel() ? model.constrainedKernels() : Map.of(),
          model.stateUpdates());
      condense = model.condense(tf);
      if (training.reprojectKernel()) {
        int kernels = model.constrainedKernels().size();
        if (kernels == 0) {
          LOG.warn("reprojectKernel is on but the model has no constrained kernel: it changes nothing");
        } else {
          LOG.info("reprojectKernel: {} kernels are set to their W_bar before each update", kernels);
        }
      }
      session = new Session(graph, Sessions.config(opts.intraOpThreads(), opts.interOpThreads(), opts.xla()));
      schedule = epoch -> training.learningRate() * Math.pow(training.decay(), epoch - 1);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  public LipschitzSequential model() {
    return model;
  }

  public Session session() {
    return session;
  }

  public Graph graph() {
    return graph;
  }

  /** Replaces the learning-rate schedule (epoch, from 1 -> rate); the default is learningRate * decay^(epoch-1). */
  public void schedule(IntToDoubleFunction epochToRate) {
    this.schedule = epochToRate;
  }

  /**
   * Stops {@link #fit} at an epoch boundary once another epoch, as long as the last one and validated, would
   * end after {@code seconds} from now: the run ends validated, with its checkpoint and metrics written, instead
   * of being killed. The first epoch always runs.
   */
  public void timeLimit(double seconds) {
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("time limit must be > 0 seconds, got " + seconds);
    }
    limitStartNanos = System.nanoTime();
    limitNanos = (long) Math.min(seconds * 1e9, Long.MAX_VALUE - 1.0);
  }

  public LipLoss loss() {
    return loss;
  }

  /**
   * Trains for the configured epochs (continuing after the checkpoint's epoch when resuming) and returns every
   * epoch's metrics, those of earlier runs included when resuming.
   *
   * @throws TrainingDivergedException when the loss becomes NaN or infinite; the last checkpoint is kept
   */
  public List<EpochMetrics> fit(Dataset train, Dataset validation) throws IOException {
    requireFits(train, "training");
    requireFits(validation, "validation");
    if (opts.dropRemainder() && train.size() < training.batchSize()) {
      throw new IllegalArgumentException("dropping the last partial batch leaves no step: " + train.size()
          + " training examples, batch size " + training.batchSize());
    }
    if (train.numClasses() != Math.max(outputs, 2) || outputs == 1 && train.numClasses() != 2) {
      throw new IllegalArgumentException("the model has " + outputs + " outputs but the data has "
          + train.numClasses() + " classes (a single-logit model needs a binary subset, --classes a,b)");
    }
    if (validation.numClasses() != train.numClasses() || (validation.classNames() != null
        && train.classNames() != null && !validation.classNames().equals(train.classNames()))) {
      throw new IllegalArgumentException("the validation data has " + validation.numClasses() + " classes "
          + (validation.classNames() == null ? "" : validation.classNames() + " ") + "but the training data has "
          + train.numClasses() + (train.classNames() == null ? "" : " " + train.classNames())
          + ": label both alike (org.jlip.data.Splits.align)");
    }
    List<EpochMetrics> history = new ArrayList<>();
    int first = 1;
    if (opts.resume()) {
      if (!"1".equals(System.getenv("TF_DETERMINISTIC_OPS"))) {
        LOG.warn("resuming without TF_DETERMINISTIC_OPS=1: the result will be close to, not bit-equal to, an"
            + " uninterrupted run (the ./jlip launcher sets it)");
      }
      first = restore(opts.outDir().resolve(CHECKPOINT_DIR)) + 1;
      history.addAll(readHistory(first - 1));
      // Epochs after the checkpoint (--checkpoint-interval) are trained again: their old lines must go.
      JsonLines.rewrite(opts.outDir().resolve(METRICS_FILE), history);
      LOG.info("resuming after epoch {} from {}", first - 1, opts.outDir().resolve(CHECKPOINT_DIR));
    } else {
      session.initialize();
    }
    if (opts.outDir() != null) {
      Files.createDirectories(opts.outDir());
      AtomicFiles.writeString(opts.outDir().resolve(TrainedModel.MODEL_FILE), ModelJson.toJson(spec.withTraining(training)));
    }
    long evalNanos = 0;
    Long savedNanos = null;  // the first epoch of a run always writes one
    for (int epoch = first; epoch <= training.epochs(); epoch++) {
      long start = System.nanoTime();
      EpochMetrics m = trainEpoch(epoch, train);
      long end = System.nanoTime();
      boolean last = EpochSchedule.endsAfter(epoch, training.epochs(), opts.validationFreq(), remainingNanos(end),
          end - start, evalNanos);
      if (EpochSchedule.validates(epoch, opts.validationFreq(), last)) {
        m = m.validatedBy(evaluate(validation), opts.eps());
        evalNanos = System.nanoTime() - end;
        checkValidation(m);
      }
      log(m);
      history.add(m);
      if (opts.outDir() != null) {
        AtomicFiles.writeString(opts.outDir().resolve("step-losses-epoch" + epoch + ".json"),
            ModelJson.mapper().writeValueAsString(stepLosses.subList(stepLosses.size()
                - train.numBatches(training.batchSize(), opts.dropRemainder()), stepLosses.size())));
        if (savedNanos == null
            || EpochSchedule.checkpoints(last, System.nanoTime() - savedNanos, opts.checkpointInterval())) {
          long t0 = System.nanoTime();
          saveCheckpoint(opts.outDir().resolve(CHECKPOINT_DIR), epoch);
          savedNanos = System.nanoTime();
          LOG.info("checkpoint after epoch {} written in {} s", epoch, f((savedNanos - t0) / 1e9));
        }
        try (JsonLines lines = JsonLines.open(opts.outDir().resolve(METRICS_FILE))) {
          lines.append(m);
        }
      }
      if (last && epoch < training.epochs()) {
        LOG.info("time limit: stopping after epoch {} of {} (its steps took {} s, the last validation {} s)", epoch,
            training.epochs(), f((end - start) / 1e9), f(evalNanos / 1e9));
      }
      if (last) {
        break;
      }
    }
    return history;
  }

  private long remainingNanos(long now) {
    return limitNanos == Long.MAX_VALUE ? Long.MAX_VALUE : limitNanos - (now - limitStartNanos);
  }

  /** The epoch's steps and condensation; validation comes after, when scheduled. */
  private EpochMetrics trainEpoch(int epoch, Dataset train) {
    double rate = schedule.applyAsDouble(epoch);
    adam.setLearningRate(session, rate);
    Dataset shuffled = train.shuffle(opts.seed() * 1_000_003L + epoch);
    int steps = shuffled.numBatches(training.batchSize(), opts.dropRemainder());
    double[] stepMs = new double[steps];
    double lossSum = 0;
    long start = System.nanoTime();
    try (Progress progress = Progress.start("epoch " + epoch + "/" + training.epochs(), steps)) {
      int s = 0;
      for (Batch b : shuffled.batches(training.batchSize(), opts.dropRemainder())) {
        applySchedules((long) (epoch - 1) * steps + s);
        long t0 = System.nanoTime();
        float value = step(b);
        stepMs[s] = (System.nanoTime() - t0) / 1e6;
        if (!Float.isFinite(value)) {
          throw new TrainingDivergedException("training loss became " + value + " at epoch " + epoch + ", step "
              + (s + 1) + " (learning rate " + rate + "); the last good checkpoint is kept"
              + (opts.outDir() == null ? "" : " in " + opts.outDir().resolve(CHECKPOINT_DIR)));
        }
        lossSum += value;
        stepLosses.add(value);
        s++;
        progress.step();
        if (s % 20 == 0 || s == steps) {
          progress.extra(String.format("loss %.4f", lossSum / s));
        }
      }
    }
    condense();
    if (!training.schedules().isEmpty()) {
      LOG.info("epoch {}: scheduled loss parameters at its last step: {}", epoch, scheduledValues());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Arrays.sort(stepMs);
    return EpochMetrics.trainingOnly(epoch, lossSum / Math.max(steps, 1), rate, seconds,
        steps == 0 ? 0 : stepMs[steps / 2]);
  }

  /**
   * Sets the scheduled loss parameters of the training loss for the run's step {@code step} (from 0), as deel-lip's
   * LossParamScheduler does before each batch. A function of the step alone, so a resumed run sets what an
   * uninterrupted one would. The validation loss takes the same values when an evaluation starts.
   */
  private void applySchedules(long step) {
    List<LossParamSchedule> schedules = training.schedules();
    for (int i = 0; i < schedules.size(); i++) {
      double v = schedules.get(i).at(step);
      if (v != scheduled[i]) {
        loss.set(session, schedules.get(i).param(), v);
        scheduled[i] = v;
      }
    }
  }

  /** The validation loss with the scheduled values of the last training step (none before the first). */
  private void scheduleValidationLoss() {
    for (int i = 0; i < scheduled.length; i++) {
      if (!Double.isNaN(scheduled[i])) {
        valLoss.set(session, training.schedules().get(i).param(), scheduled[i]);
      }
    }
  }

  private String scheduledValues() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < scheduled.length; i++) {
      b.append(i == 0 ? "" : ", ").append(training.schedules().get(i).param()).append(' ').append(f(scheduled[i]));
    }
    return b.toString();
  }

  private static void checkValidation(EpochMetrics m) {
    if (!Double.isFinite(m.valLoss())) {
      throw new TrainingDivergedException("validation loss became " + m.valLoss() + " after epoch " + m.epoch()
          + "; the last good checkpoint is kept");
    }
  }

  private static void log(EpochMetrics m) {
    if (!m.validated()) {
      LOG.info("epoch {}: loss {} | not validated | {} s, step {} ms", m.epoch(), f(m.trainLoss()),
          f(m.seconds()), f(m.medianStepMs()));
      return;
    }
    LOG.info("epoch {}: loss {} | val loss {} acc {} KR {} | PRA {} at eps {} | mean radius {} | L {} (nominal {})"
        + " | {} s, step {} ms", m.epoch(), f(m.trainLoss()), f(m.valLoss()), f(m.valAccuracy()), f(m.valKr()),
        m.provableRobustAccuracy().stream().map(Trainer::f).toList(), m.eps().stream().map(Trainer::f).toList(),
        f(m.meanRadius()), f(m.lipschitzMeasured()), f(m.lipschitzNominal()), f(m.seconds()), f(m.medianStepMs()));
  }

  /** The training loss of every step this trainer ran, in order (for loss curves and CPU/GPU comparisons). */
  public List<Float> stepLosses() {
    return List.copyOf(stepLosses);
  }

  /**
   * One optimizer step on a batch; returns the batch's training loss. On a GPU the first step is traced and the
   * ops it ran on the CPU are logged by type: soft placement moves ops without a GPU kernel there silently.
   */
  public float step(Batch b) {
    if (onGpu && !placementLogged) {
      placementLogged = true;
      Traced t = traced(b);
      logPlacement(t.metadata());
      return t.loss();
    }
    try (TFloat32 x = images(b);
        TFloat32 y = labelsOf(b);
        Result r = stepRunner(x, y).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  /** One optimizer step on a batch, traced: where each node of the training step ran. */
  public RunMetadata traceStep(Batch b) {
    return traced(b).metadata();
  }

  private record Traced(float loss, RunMetadata metadata) {}

  private Traced traced(Batch b) {
    try (TFloat32 x = images(b);
        TFloat32 y = labelsOf(b);
        Result r = stepRunner(x, y).setOptions(Placement.FULL_TRACE).runAndFetchMetadata()) {
      return new Traced(((TFloat32) r.get(0)).getFloat(), r.getMetadata()
          .orElseThrow(() -> new IllegalStateException("TensorFlow returned no run metadata")));
    }
  }

  private Session.Runner stepRunner(TFloat32 x, TFloat32 y) {
    return session.runner().feed(model.input(), x).feed(labels, y).fetch(lossOp).addTarget(adam.step());
  }

  private void logPlacement(RunMetadata trace) {
    Map<String, Integer> nodes = Placement.nodesPerDevice(trace);
    LOG.info("training step placement: nodes per device {}", nodes);
    for (String device : nodes.keySet()) {
      if (device.startsWith("CPU")) {
        LOG.info("on {} in the training step (no GPU kernel, or host-side transfers): {}", device,
            Placement.opsOn(trace, device, graph));
      }
    }
  }

  /** Loss, KR term, accuracy and certificates of the inference graph on {@code data}. */
  public Evaluation evaluate(Dataset data) {
    scheduleValidationLoss();
    ModelBound bound = model.bound(session);
    float[] logits = new float[data.size() * outputs];
    double lossSum = 0;
    double krSum = 0;
    int offset = 0;
    for (Batch b : data.batches(EVAL_BATCH, false)) {
      try (TFloat32 x = images(b);
          TFloat32 y = labelsOf(b);
          Result r = session.runner().feed(model.input(), x).feed(labels, y)
              .fetch(model.inferenceOutput()).fetch(valLossOp).fetch(valKrOp).run()) {
        TFloat32 out = (TFloat32) r.get(0);
        float[] chunk = new float[b.size() * outputs];
        out.copyTo(DataBuffers.of(chunk, false, false));
        System.arraycopy(chunk, 0, logits, offset, chunk.length);
        offset += chunk.length;
        lossSum += ((TFloat32) r.get(1)).getFloat() * b.size();
        krSum += ((TFloat32) r.get(2)).getFloat() * b.size();
      }
    }
    int n = Math.max(data.size(), 1);
    return Evaluation.of(logits, data.labels(), outputs, model.disjointHead(), bound, opts.eps(),
        lossSum / n, krSum / n);
  }

  /** Recomputes the layers' state from the current weights (before inference or export). */
  public void condense() {
    if (!condense.isEmpty()) {
      Session.Runner r = session.runner();
      condense.forEach(r::addTarget);
      r.run().close();
    }
  }

  /**
   * The data's images must hold the model's input values: the same image, or flat samples ([n, d] arrays) of its
   * size, or any data of the size of a model whose input is not an image (a vector or a sequence).
   */
  private void requireFits(Dataset data, String what) {
    if (data.size() == 0) {
      throw new IllegalArgumentException("the " + what + " data holds no examples");
    }
    long[] in = spec.inputShapeArray();
    long size = Arrays.stream(in).reduce(1, (a, b) -> a * b);
    boolean flat = data.height() == 1 && data.channels() == 1;
    boolean sameImage = in.length == 3 && in[0] == data.height() && in[1] == data.width() && in[2] == data.channels();
    if (size != data.imageSize() || (in.length == 3 && !flat && !sameImage)) {
      throw new IllegalArgumentException("the model takes inputs of shape " + Arrays.toString(in) + " but the "
          + what + " data holds images of shape [" + data.height() + ", " + data.width() + ", " + data.channels()
          + "]");
    }
  }

  /** A batch in the model's input shape (the same values, row-major: checked by {@link #requireFits}). */
  private TFloat32 images(Batch b) {
    long[] in = spec.inputShapeArray();
    long[] shape = new long[in.length + 1];
    shape[0] = b.size();
    System.arraycopy(in, 0, shape, 1, in.length);
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(b.images(), true, false));
  }

  private TFloat32 labelsOf(Batch b) {
    float[] y = outputs == 1 ? b.binaryLabels() : b.oneHot();
    return TFloat32.tensorOf(Shape.of(b.size(), outputs), DataBuffers.of(y, true, false));
  }

  /** Writes every variable (weights, state, optimizer slots) and the epoch, replacing {@code dir} atomically. */
  public void saveCheckpoint(Path dir, int epoch) throws IOException {
    AtomicFiles.replaceDirectory(dir, true, tmp -> {
      session.save(tmp.resolve(PREFIX).toString());
      Files.writeString(tmp.resolve("state.json"), ModelJson.mapper().writeValueAsString(
          Map.of("epoch", epoch, "seed", opts.seed())));
    });
  }

  /** Restores a checkpoint written by {@link #saveCheckpoint}; returns its epoch. */
  public int restore(Path dir) throws IOException {
    Path state = dir.resolve("state.json");
    if (!Files.isRegularFile(state) || !Files.isRegularFile(dir.resolve(PREFIX + ".index"))) {
      throw new IOException("no checkpoint in " + dir + " (expected state.json and " + PREFIX + ".index)");
    }
    JsonNode node = ModelJson.mapper().readTree(state.toFile());
    if (node.path("seed").asLong() != opts.seed()) {
      LOG.warn("checkpoint {} was trained with seed {}, resuming with seed {}", dir, node.path("seed"),
          opts.seed());
    }
    session.restore(dir.resolve(PREFIX).toString());
    return node.path("epoch").asInt();
  }

  private List<EpochMetrics> readHistory(int upToEpoch) throws IOException {
    Path file = opts.outDir().resolve(METRICS_FILE);
    List<EpochMetrics> out = new ArrayList<>();
    if (Files.isRegularFile(file)) {
      for (JsonNode n : JsonLines.readAll(file)) {
        EpochMetrics m = ModelJson.mapper().treeToValue(n, EpochMetrics.class);
        if (m.epoch() <= upToEpoch) {
          out.add(m);
        }
      }
    }
    return out;
  }

  private static String f(double v) {
    return String.format("%.4f", v);
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
