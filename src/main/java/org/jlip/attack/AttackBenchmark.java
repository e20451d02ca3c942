package org.jlip.attack;

import java.util.Arrays;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Measures attack cost against plain inference on one classifier (not a test: timings depend on the machine).
 * PGD costs about steps + 1 forward-and-backward runs per batch, so the ratio shows the per-run overhead of the
 * Java-side projection next to the graph's own work.
 */
public final class AttackBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(AttackBenchmark.class);

  private AttackBenchmark() {}

  /** Samples per second of plain inference and of PGD, measured on the same batches. */
  /**
   * @param gradientPerSecond samples per second of one forward + backward run (margin, logits, input gradient):
   *     PGD needs about steps + 1 of them, the rest of its time is Java-side projection and copying
   */
  public record Throughput(int samples, int batchSize, int pgdSteps, double inferencePerSecond,
      double gradientPerSecond, double pgdPerSecond) {

    /** How many times slower an attacked sample is than an inferred one. */
    public double slowdown() {
      return inferencePerSecond / pgdPerSecond;
    }
  }

  /**
   * Times inference and PGD (eps 0.5, box [0, 1]) over the images, after one warm-up batch of each, and logs the
   * result. PGD stops a batch early once all its samples are broken, as in real use: pass labels of a model that
   * resists eps 0.5 (or its own predictions on a robust model) to time all the steps.
   */
  public static Throughput measure(Classifier c, float[] images, int[] labels, int batchSize, int pgdSteps) {
    int d = c.imageSize();
    int n = Pgd.checkInputs(c, images, labels);
    PgdConfig cfg = PgdConfig.of(0.5, pgdSteps).withBatchSize(batchSize);
    int warm = Math.min(n, batchSize);
    infer(c, Arrays.copyOf(images, warm * d), warm, batchSize);
    Pgd.run(c, Arrays.copyOf(images, warm * d), Arrays.copyOf(labels, warm), cfg);
    long t0 = System.nanoTime();
    infer(c, images, n, batchSize);
    long t1 = System.nanoTime();
    AttackOps ops = c.ops();
    for (int from = 0; from < n; from += batchSize) {
      int m = Math.min(batchSize, n - from);
      ops.evaluate(Arrays.copyOfRange(images, from * d, (from + m) * d), Arrays.copyOfRange(labels, from, from + m),
          m, true);
    }
    long t2 = System.nanoTime();
    Pgd.run(c, images, labels, cfg);
    long t3 = System.nanoTime();
    Throughput t = new Throughput(n, batchSize, pgdSteps, n / ((t1 - t0) / 1e9), n / ((t2 - t1) / 1e9),
        n / ((t3 - t2) / 1e9));
    LOG.info(String.format(Locale.ROOT, "%d samples, batch %d: inference %.1f samples/s, forward+backward %.1f"
        + " samples/s, PGD-%d %.1f samples/s (%.1fx slower than inference)", n, batchSize, t.inferencePerSecond(),
        t.gradientPerSecond(), pgdSteps, t.pgdPerSecond(), t.slowdown()));
    return t;
  }

  private static void infer(Classifier c, float[] images, int n, int batchSize) {
    int d = c.imageSize();
    for (int from = 0; from < n; from += batchSize) {
      int m = Math.min(batchSize, n - from);
      try (TFloat32 x = TFloat32.tensorOf(Shape.of(m, c.height(), c.width(), c.channels()),
              DataBuffers.of(Arrays.copyOfRange(images, from * d, (from + m) * d)));
          Result r = c.session().runner().feed(c.input(), x).fetch(c.logits()).run()) {
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(new float[m * c.numClasses()], false, false));
      }
    }
  }
}
