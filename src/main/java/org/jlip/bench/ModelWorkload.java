package org.jlip.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jlip.data.Batch;
import org.jlip.data.Dataset;
import org.jlip.model.LossSpec;
import org.jlip.model.ModelSpec;
import org.jlip.model.TrainingSpec;
import org.jlip.train.Device;
import org.jlip.train.TrainOptions;
import org.jlip.train.Trainer;
import org.tensorflow.proto.RunMetadata;

/**
 * Training steps of a whole model exactly as {@code jlip train} runs them ({@link Trainer#step}): the model
 * file's loss, learning rate and batch size, on random images and labels or on real batches cycled in order.
 */
final class ModelWorkload implements Workload {
  /** Real batches cycled through: enough to vary the data, few enough to stay in memory. */
  private static final int REAL_BATCHES = 8;

  private final String name;
  private final Trainer trainer;
  private final List<Batch> batches = new ArrayList<>();
  private final boolean lipschitz;
  private int next;
  private float lastLoss = Float.NaN;

  /**
   * @param batchOverride batch size replacing the training block's, or null
   * @param data real images to train on, or null for uniform random images with random labels
   * @param xla compile the step's GPU ops with XLA
   */
  ModelWorkload(String name, ModelSpec spec, Integer batchOverride, Dataset data, Device device, int threads,
      long seed, boolean xla) {
    this.name = name;
    long[] shape = spec.inputShapeArray();
    if (shape.length != 3) {
      throw new IllegalArgumentException(name + ": the model benchmark needs an image input (h, w, channels), got"
          + " inputShape " + spec.inputShape());
    }
    TrainingSpec t = spec.training() != null ? spec.training()
        : new TrainingSpec(LossSpec.of("MulticlassHKR"), null, null, null, null, null, null, null);
    if (batchOverride != null) {
      t = new TrainingSpec(t.loss(), t.optimizer(), t.learningRate(), t.beta1(), t.beta2(), t.decay(),
          batchOverride, t.epochs(), t.lossSchedule(), t.reprojectKernel());
    }
    lipschitz = !spec.allowNonLipschitz();
    trainer = new Trainer(spec.withTraining(t), new TrainOptions(t, seed, null, false, threads, 0, device, null,
        xla, 1));
    try {
      trainer.session().initialize();
      int classes = Math.max((int) trainer.model().outputShape()[0], 2);
      int size = t.batchSize();
      if (data == null) {
        batches.add(random(size, shape, classes, seed));
      } else {
        if (data.numClasses() != classes) {
          throw new IllegalArgumentException(name + ": the model has " + classes + " classes, the data "
              + data.numClasses());
        }
        for (Batch b : data.take(Math.min(data.size(), size * REAL_BATCHES)).batches(size, true)) {
          batches.add(b);
        }
        if (batches.isEmpty()) {
          throw new IllegalArgumentException(name + ": the data holds fewer than one batch of " + size);
        }
      }
    } catch (RuntimeException e) {
      trainer.close();
      throw e;
    }
  }

  private static Batch random(int size, long[] shape, int classes, long seed) {
    Random random = new Random(seed);
    float[] images = new float[Math.toIntExact(size * shape[0] * shape[1] * shape[2])];
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat();
    }
    int[] labels = new int[size];
    for (int i = 0; i < size; i++) {
      labels[i] = random.nextInt(classes);
    }
    return new Batch(images, labels, (int) shape[0], (int) shape[1], (int) shape[2], classes);
  }

  /** True for a model whose layers are all Lipschitz by construction (not an unconstrained baseline). */
  boolean lipschitz() {
    return lipschitz;
  }

  /** The training loss of the last step (a NaN would mean the timed steps were not real training). */
  float lastLoss() {
    return lastLoss;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int batch() {
    return batches.get(0).size();
  }

  @Override
  public double flopsPerStep() {
    return Double.NaN;
  }

  @Override
  public void step() {
    lastLoss = trainer.step(batches.get(next));
    next = (next + 1) % batches.size();
  }

  /** Traces one whole training step: forward, backward and the optimizer update. */
  @Override
  public RunMetadata tracedStep() {
    return trainer.traceStep(batches.get(0));
  }

  @Override
  public void close() {
    trainer.close();
  }
}
