package org.jlip.train;

import java.nio.file.Path;
import java.util.List;
import org.jlip.model.TrainingSpec;

/**
 * How to run a training: the training block (loss, optimizer, rate, batch size, epochs) plus run settings.
 *
 * @param seed seeds the initialisers and each epoch's shuffle (same seed and threads -> same weights)
 * @param outDir where checkpoints ({@code checkpoint/}) and metrics ({@code metrics.jsonl}) go; null: nowhere
 * @param resume continue from {@code outDir/checkpoint}
 * @param intraOpThreads TensorFlow's intra-op threads (0: TensorFlow's default)
 * @param interOpThreads TensorFlow's inter-op threads (0: TensorFlow's default)
 * @param eps radii at which validation reports provable robust accuracy
 * @param xla compile the GPU part of the graph with XLA ({@link Sessions#config(int, int, boolean)})
 * @param validationFreq validate every this many epochs (Keras's {@code validation_freq}) and after the last one:
 *     a validation computes the layers' bounds in Java and runs the whole validation set, which can take as long
 *     as an epoch of GPU steps
 * @param checkpointInterval seconds between checkpoints (0: after every epoch); a run's first and last epochs (a
 *     time-limit stop included) always write one, and a divergence keeps the most recent. Each write syncs every
 *     variable (weights, state, Adam's slots) to disk: for epochs of seconds with a large model or a slow disk
 * @param dropRemainder skip each epoch's last, smaller batch (tf.data's {@code drop_remainder}): every step then
 *     has the same shape, which spares XLA a second compilation of the training step (13 s on an H200); the
 *     shuffle drops different examples each epoch
 */
public record TrainOptions(
    TrainingSpec training,
    long seed,
    Path outDir,
    boolean resume,
    int intraOpThreads,
    int interOpThreads,
    Device device,
    List<Double> eps,
    boolean xla,
    int validationFreq,
    double checkpointInterval,
    boolean dropRemainder) {

  /** The report's default radii: 0.1, 36/255, 0.25, 0.5, 1.0. */
  public static final List<Double> DEFAULT_EPS = List.of(0.1, 36.0 / 255, 0.25, 0.5, 1.0);

  /** Without XLA, validating every epoch. */
  public TrainOptions(TrainingSpec training, long seed, Path outDir, boolean resume, int intraOpThreads,
      int interOpThreads, Device device, List<Double> eps) {
    this(training, seed, outDir, resume, intraOpThreads, interOpThreads, device, eps, false, 1);
  }

  /** Checkpointing after every epoch and training on every example. */
  public TrainOptions(TrainingSpec training, long seed, Path outDir, boolean resume, int intraOpThreads,
      int interOpThreads, Device device, List<Double> eps, boolean xla, int validationFreq) {
    this(training, seed, outDir, resume, intraOpThreads, interOpThreads, device, eps, xla, validationFreq, 0, false);
  }

  public TrainOptions {
    if (training == null || training.loss() == null) {
      throw new IllegalArgumentException("training needs a loss (model file 'training.loss' or --loss)");
    }
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("thread counts must be >= 0, got " + intraOpThreads + ", "
          + interOpThreads);
    }
    if (validationFreq < 1) {
      throw new IllegalArgumentException("validationFreq must be >= 1 epoch, got " + validationFreq);
    }
    if (!(checkpointInterval >= 0) || Double.isInfinite(checkpointInterval)) {
      throw new IllegalArgumentException("checkpointInterval must be a finite number of seconds >= 0, got "
          + checkpointInterval);
    }
    if (resume && outDir == null) {
      throw new IllegalArgumentException("resume needs an output directory holding a checkpoint");
    }
    device = device == null ? Device.CPU : device;
    eps = eps == null ? DEFAULT_EPS : List.copyOf(eps);
  }
}
