package org.jlip.bench;

import java.nio.file.Path;
import java.util.List;
import org.jlip.export.ExportBenchmark;
import org.jlip.train.Device;

/**
 * What {@code jlip bench} measures and how.
 *
 * @param only measurement names to run ({@link BenchPlan#NAMES}, "models" or "model:FILE"); empty: all
 * @param models model files of the model measurements
 * @param exports jlip SavedModel exports whose inference throughput to measure ({@link ExportBenchmark})
 * @param data "fashion-mnist" or an IDX directory to train the models on; null: random images and labels
 * @param batch batch size of every layer and model measurement; null: 128 for layers, the training block's for
 *     models
 * @param warmup untimed steps per measurement before the first round
 * @param steps timed steps per measurement and round
 * @param rounds rounds; each runs every measurement once, in alternating order
 * @param threads TensorFlow intra-op threads (0: TensorFlow's default)
 * @param seed initialisers and random data
 * @param xla the model measurements compile their GPU ops with XLA ({@link org.jlip.train.Sessions#config(int,
 *     int, boolean)})
 */
public record BenchOptions(
    List<String> only,
    List<Path> models,
    List<Path> exports,
    String data,
    Integer batch,
    Device device,
    int warmup,
    int steps,
    int rounds,
    int threads,
    long seed,
    boolean xla) {

  public static final List<Path> DEFAULT_MODELS =
      List.of(Path.of("examples", "fmnist-hkr.json"), Path.of("examples", "fmnist-baseline.json"));

  /** Without XLA. */
  public BenchOptions(List<String> only, List<Path> models, List<Path> exports, String data, Integer batch,
      Device device, int warmup, int steps, int rounds, int threads, long seed) {
    this(only, models, exports, data, batch, device, warmup, steps, rounds, threads, seed, false);
  }

  public BenchOptions {
    only = only == null ? List.of() : List.copyOf(only);
    models = models == null || models.isEmpty() ? DEFAULT_MODELS : List.copyOf(models);
    exports = exports == null ? List.of() : List.copyOf(exports);
    if (batch != null && batch <= 0) {
      throw new IllegalArgumentException("batch must be > 0, got " + batch);
    }
    device = device == null ? Device.CPU : device;
    if (warmup < 0) {
      throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
    }
    if (steps <= 0) {
      throw new IllegalArgumentException("steps must be > 0, got " + steps);
    }
    if (rounds <= 0) {
      throw new IllegalArgumentException("rounds must be > 0, got " + rounds);
    }
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be >= 0, got " + threads);
    }
  }
}
