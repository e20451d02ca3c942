package org.jlip.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jlip.data.DataLocator;
import org.jlip.data.Dataset;
import org.jlip.data.Partition;
import org.jlip.data.Split;
import org.jlip.data.Splits;
import org.jlip.layers.DenseConfig;
import org.jlip.layers.FrobeniusDenseConfig;
import org.jlip.layers.LayerConfig;
import org.jlip.layers.SpectralDenseConfig;
import org.jlip.model.LossSpec;
import org.jlip.model.ModelJson;
import org.jlip.model.ModelSpec;
import org.jlip.model.TrainingSpec;
import org.jlip.train.Device;
import org.jlip.train.EpochMetrics;
import org.jlip.train.TrainOptions;
import org.jlip.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** jlip train: trains a model file on a data set, checkpointing and logging each epoch. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a model description (JSON) on Fashion-MNIST or IDX files; checkpoints and metrics go to"
        + " --out.")
public final class TrainCommand implements Callable<Integer> {

  @Option(names = "--model", required = true, description = "model description (JSON), e.g. examples/fmnist-hkr.json")
  Path model;

  @Option(names = "--data", defaultValue = "fashion-mnist",
      description = "'fashion-mnist', a directory of IDX files, a .npz file with x_train, y_train, x_test and"
          + " y_test (as keras.datasets' mnist.npz), or a directory with train/ and test/ (or val/) folders, each"
          + " holding one folder of PNG images per class or images.npy and labels.npy (default: ${DEFAULT-VALUE})")
  String data;

  @Option(names = "--classes", split = ",", description = "binary subset a,b: class a is the positive class (label 1)")
  List<Integer> classes;

  @Option(names = "--epochs", description = "overrides the model file's training.epochs")
  Integer epochs;

  @Option(names = "--batch-size", description = "overrides training.batchSize")
  Integer batchSize;

  @Option(names = "--lr", description = "overrides training.learningRate")
  Double learningRate;

  @Option(names = "--decay", description = "learning-rate factor per epoch; overrides training.decay")
  Double decay;

  @Option(names = "--seed", defaultValue = "42", description = "initialisers and shuffling (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", required = true, description = "output directory (checkpoint/, metrics.jsonl, model.json)")
  Path out;

  @Option(names = "--resume", description = "continue from --out's checkpoint")
  boolean resume;

  @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or auto (default: ${DEFAULT-VALUE})")
  String device;

  @Option(names = "--threads", defaultValue = "0", description = "TensorFlow intra-op threads (0: all cores)")
  int threads;

  @Option(names = "--time-limit", paramLabel = "SECONDS", description = "stop at the first epoch boundary where"
      + " another epoch as long as the last, validation included, would end more than SECONDS after this command"
      + " started (a validation counts once one has run: with --validation-freq, keep the first one's length in"
      + " reserve); the last epoch is validated and checkpoint and metrics are written as usual")
  Double timeLimit;

  @Option(names = "--checkpoint-interval", paramLabel = "SECONDS", defaultValue = "0", description = "write the"
      + " checkpoint at most every SECONDS and after the last epoch (default ${DEFAULT-VALUE}: after every epoch);"
      + " for epochs of seconds with a large model or a slow disk (on an H200, the large example's checkpoint took"
      + " 0.05 s of a 4.5 s epoch)")
  double checkpointInterval;

  @Option(names = "--reproject-kernel", arity = "0..1", paramLabel = "BOOL", description = "set each constrained"
      + " kernel to its W_bar before each update, as deel-lip 2.x trains on Keras 3 (its W_bar variable is the"
      + " kernel); overrides training.reprojectKernel (default false)")
  Boolean reprojectKernel;

  @Option(names = "--drop-remainder", description = "skip each epoch's last, smaller batch: every step has one"
      + " shape, so XLA (--xla) compiles the training step once instead of twice")
  boolean dropRemainder;

  @Option(names = "--validation-freq", paramLabel = "N", defaultValue = "1", description = "validate (loss,"
      + " accuracy, certificates, layer bounds) every N epochs and after the last one (default: ${DEFAULT-VALUE})")
  int validationFreq;

  @Option(names = "--xla", description = "compile the GPU part of the graph with XLA (auto-clustering): fewer,"
      + " fused kernels for the many small ops of the Lipschitz layers; TensorFlow leaves CPU ops alone")
  boolean xla;

  @Option(names = "--limit", description = "train on the first N training images only (quick runs)")
  Integer limit;

  @Option(names = "--val-fraction", description = "validate on this held-out fraction of the training data"
      + " instead of the test split")
  Double valFraction;

  @Override
  public Integer call() throws IOException {
    ModelSpec spec = ModelJson.read(model);
    TrainingSpec t = spec.training() != null ? spec.training()
        : new TrainingSpec(LossSpec.of("MulticlassHKR"), null, null, null, null, null, null, null);
    t = new TrainingSpec(t.loss(), t.optimizer(), or(learningRate, t.learningRate()), t.beta1(), t.beta2(),
        or(decay, t.decay()), or(batchSize, t.batchSize()), or(epochs, t.epochs()), t.lossSchedule(),
        or(reprojectKernel, t.reprojectKernel()));
    TrainOptions opts = new TrainOptions(t, seed, out, resume, threads, 0, Device.parse(device), null,
        xla, validationFreq, checkpointInterval, dropRemainder);
    Dataset train = DataLocator.load(data, Split.TRAIN);
    Dataset validation;
    if (valFraction != null) {
      Partition p = train.split(valFraction, seed);
      train = p.train();
      validation = p.validation();
    } else {
      validation = DataLocator.load(data, Split.TEST);
      Splits.Aligned aligned = Splits.align(train, validation);
      train = aligned.train();
      validation = aligned.validation();
    }
    if (spec.inputShape().size() == 3) {
      // Color PNG folders for a gray model (and the reverse): the channels the model takes.
      train = train.withChannels(spec.inputShape().get(2));
      validation = validation.withChannels(spec.inputShape().get(2));
    }
    if (classes != null) {
      if (classes.size() != 2) {
        throw new IllegalArgumentException("--classes takes two classes a,b, got " + classes);
      }
      train = train.binary(classes.get(0), classes.get(1));
      validation = validation.binary(classes.get(0), classes.get(1));
    }
    if (limit != null) {
      CliChecks.atLeastOne("--limit", limit);
      train = train.take(Math.min(limit, train.size()));
    }
    spec = withDataClassNames(spec, train);
    try (Trainer trainer = newTrainer(spec, opts)) {
      if (timeLimit != null) {
        // The limit counts from the command's start: JVM start, data and graph building spend the same budget.
        double started = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
        if (timeLimit <= started) {
          throw new IllegalArgumentException("--time-limit " + timeLimit + " s is spent before training starts ("
              + String.format("%.1f", started) + " s to load the data and build the graph)");
        }
        trainer.timeLimit(timeLimit - started);
      }
      List<EpochMetrics> history = trainer.fit(train, validation);
      if (!history.isEmpty()) {
        System.out.println(Tables.robustness(history.get(history.size() - 1)));
      }
    }
    return 0;
  }

  /** Errors in the description that only building the graph finds (shapes, loss parameters) name the file too. */
  private Trainer newTrainer(ModelSpec spec, TrainOptions opts) {
    try {
      return new Trainer(spec, opts);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model file " + model + ": " + e.getMessage(), e);
    }
  }

  /**
   * The data's class names (class folders) for a model file that gives none, when they fit its head: one name per
   * output, or two for a single logit. The run's model.json and its exports then name the classes.
   */
  static ModelSpec withDataClassNames(ModelSpec spec, Dataset train) {
    if (spec.classNames() != null || train.classNames() == null || spec.layers().isEmpty()) {
      return spec;
    }
    LayerConfig head = spec.layers().get(spec.layers().size() - 1);
    Integer units = head instanceof DenseConfig d ? d.units() : head instanceof SpectralDenseConfig d ? d.units()
        : head instanceof FrobeniusDenseConfig d ? d.units() : null;
    if (units == null || Math.max(units, 2) != train.classNames().size()) {
      return spec;
    }
    return new ModelSpec(spec.name(), spec.inputShape(), spec.layers(), spec.kCoefLip(), spec.allowNonLipschitz(),
        train.classNames(), spec.training());
  }

  private static <T> T or(T flag, T fromFile) {
    return flag != null ? flag : fromFile;
  }
}
