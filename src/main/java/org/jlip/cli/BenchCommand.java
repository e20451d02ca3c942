package org.jlip.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jlip.bench.BenchOptions;
import org.jlip.bench.Benchmark;
import org.jlip.io.AtomicFiles;
import org.jlip.serve.CertifiedModels;
import org.jlip.train.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** jlip bench: steady-state step times, one JSON line per result on stdout. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Time steady-state training steps (after warm-up) and print one JSON line per result:"
        + " name, device (where TensorFlow actually ran the step), batch, median_ms, p10_ms, p90_ms, images_per_s,"
        + " gflops (matmul), then ratio lines and a final 'process' line with the peak RSS.",
        "Measurements: matmul (1024x1024 float32), layer-dense / layer-spectral-dense (784->256, batch 128),"
            + " layer-conv / layer-spectral-conv (3x3 16->32 on 28x28x16, batch 128), exact-conv (SpectralConv2D"
            + " exact=true vs default), models (each --model file, trained with its training block on random"
            + " data or --data) and model:FILE.",
        "Measurements run interleaved in rounds (A B, B A, ...); statistics pool all rounds, ratios divide medians"
            + " of the same run. Exit code 1 when a measurement failed (its line holds 'error')."})
public final class BenchCommand implements Callable<Integer> {

  @Option(names = "--only", split = ",", paramLabel = "NAME",
      description = "run only these: matmul, layer-dense, layer-spectral-dense, layer-conv, layer-spectral-conv,"
          + " exact-conv, bound-dft (the Java layer bound, certified against exhaustive), models, model:FILE"
          + " (default: all but bound-dft)")
  List<String> only;

  @Option(names = "--model", paramLabel = "FILE",
      description = "model files of the model measurements (repeatable; default: examples/fmnist-hkr.json and"
          + " examples/fmnist-baseline.json)")
  List<Path> models;

  @Option(names = "--export", paramLabel = "DIR",
      description = "also measure the inference throughput of this jlip export (repeatable): direct graph,"
          + " serving_default and certify signatures, batches of --batch (default 1024), --steps batches per round")
  List<Path> exports;

  @Option(names = "--certify", paramLabel = "DIR",
      description = "also measure what jlip certify does per batch (the model's logits as jlip runs it, then the"
          + " certificates) against serving_default inference of this SavedModel (repeatable; jlip export or"
          + " Keras SavedModel); batches of --batch (default 1024)")
  List<Path> certify;

  @Option(names = "--data", description = "train the models on 'fashion-mnist' or an IDX directory instead of"
      + " random data")
  String data;

  @Option(names = "--batch", description = "batch size of every layer and model measurement (default: 128 for"
      + " layers, the training block's for models)")
  Integer batch;

  @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or auto (default: ${DEFAULT-VALUE})")
  String device;

  @Option(names = "--warmup", defaultValue = "10", description = "untimed steps per measurement (default:"
      + " ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--steps", defaultValue = "50", description = "timed steps per measurement and round (default:"
      + " ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--rounds", defaultValue = "3", description = "interleaved rounds (default: ${DEFAULT-VALUE})")
  int rounds;

  @Option(names = "--threads", defaultValue = "0", description = "TensorFlow intra-op threads (0: all cores)")
  int threads;

  @Option(names = "--seed", defaultValue = "42", description = "initialisers and random data (default:"
      + " ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--xla", description = "model measurements compile their GPU ops with XLA (auto-clustering;"
      + " TensorFlow leaves CPU ops alone)")
  boolean xla;

  @Option(names = "--out", paramLabel = "FILE", description = "also write the JSON lines to this file (atomically)")
  Path out;

  @Override
  public Integer call() throws IOException {
    BenchOptions options = new BenchOptions(only, models, exports, data, batch, Device.parse(device), warmup, steps,
        rounds, threads, seed, xla);
    List<ObjectNode> lines = new java.util.ArrayList<>(new Benchmark(options).run());
    if (certify != null) {
      for (Path dir : certify) {
        try (org.jlip.certify.CertifiedModel m = CertifiedModels.open(dir, null)) {
          lines.add(lines.size() - 1, org.jlip.bench.CertifyThroughput.measure(dir, m,
              batch != null ? batch : 1024, steps, rounds, seed));
        }
      }
    }
    String text = lines.stream().map(ObjectNode::toString).collect(Collectors.joining("\n", "", "\n"));
    System.out.print(text);
    System.out.flush();
    if (out != null) {
      AtomicFiles.writeString(out, text);
    }
    return lines.stream().anyMatch(Benchmark::isError) ? 1 : 0;
  }
}
