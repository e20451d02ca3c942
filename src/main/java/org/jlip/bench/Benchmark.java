package org.jlip.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jlip.export.ExportBenchmark;
import org.jlip.train.Placement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times steady-state steps of the planned workloads and reports one JSON object per result.
 *
 * <p>All workloads are built first, each is warmed up, then every round runs each workload for the same number
 * of steps, forwards in even rounds and backwards in odd ones (A B, B A, A B...), so drifting load on a shared
 * machine hits both sides of a ratio alike. Each step is timed on its own; a result's statistics pool its steps
 * of all rounds, and a ratio divides two medians of the same run.
 */
public final class Benchmark {
  private static final Logger LOG = LoggerFactory.getLogger(Benchmark.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** jlip certify's inference batch. */
  private static final int EXPORT_BATCH = 1024;

  private final BenchOptions options;
  private final BenchPlan plan;

  public Benchmark(BenchOptions options) {
    this.options = options;
    this.plan = BenchPlan.of(options);
  }

  /** A workload's line and step times while it runs; {@code workload} is null once it failed. */
  private static final class Slot {
    Workload workload;
    ObjectNode line;
    final List<double[]> rounds = new ArrayList<>();
  }

  /** The JSON objects, in order: one per workload (or its error), one per ratio, and a final "process" line. */
  public List<ObjectNode> run() {
    Map<String, Slot> slots = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, BenchPlan.Factory> e : plan.workloads().entrySet()) {
        Slot slot = new Slot();
        slots.put(e.getKey(), slot);
        try {
          slot.workload = e.getValue().create(options);
          LOG.info("{}: warming up ({} steps)", e.getKey(), options.warmup());
          for (int i = 0; i < options.warmup(); i++) {
            slot.workload.step();
          }
          slot.line = header(slot.workload);
        } catch (RuntimeException ex) {
          fail(e.getKey(), slot, ex);
        }
      }
      for (int round = 0; round < options.rounds(); round++) {
        List<String> order = new ArrayList<>(slots.keySet());
        if (round % 2 == 1) {
          Collections.reverse(order);
        }
        LOG.info("round {}/{}", round + 1, options.rounds());
        for (String name : order) {
          Slot slot = slots.get(name);
          if (slot.workload != null) {
            try {
              slot.rounds.add(time(slot.workload));
            } catch (RuntimeException ex) {
              fail(name, slot, ex);
            }
          }
        }
      }
      List<ObjectNode> lines = new ArrayList<>();
      Map<String, Double> medians = new LinkedHashMap<>();
      Map<String, double[]> roundMedians = new LinkedHashMap<>();
      slots.forEach((name, slot) -> {
        if (slot.workload != null) {
          finish(slot, medians, roundMedians);
        }
        lines.add(slot.line);
      });
      options.exports().forEach(dir -> lines.add(exportLine(dir)));
      for (BenchPlan.Ratio r : plan.ratios()) {
        if (medians.containsKey(r.numerator()) && medians.containsKey(r.denominator())) {
          lines.add(ratioLine(r, medians, roundMedians));
        }
      }
      lines.add(processLine());
      return lines;
    } finally {
      slots.values().stream().filter(sl -> sl.workload != null).forEach(sl -> sl.workload.close());
    }
  }

  /** True when a line reports a failed measurement. */
  public static boolean isError(ObjectNode line) {
    return line.has("error");
  }

  private ObjectNode header(Workload w) {
    Map<String, Integer> nodes = Placement.nodesPerDevice(w.tracedStep());
    ObjectNode line = MAPPER.createObjectNode();
    line.put("name", w.name());
    // A workload without a graph (a bound computed in Java) runs in the JVM, on every core.
    line.put("device", nodes.isEmpty() ? "JVM (" + Runtime.getRuntime().availableProcessors() + " cores)"
        : Placement.mainDevice(nodes));
    if (w.batch() > 0) {
      line.put("batch", w.batch());
    }
    ObjectNode devices = line.putObject("nodes_per_device");
    nodes.forEach(devices::put);
    if (w instanceof ModelWorkload m) {
      line.put("lipschitz", m.lipschitz());
    }
    return line;
  }

  private double[] time(Workload w) {
    double[] ms = new double[options.steps()];
    for (int i = 0; i < ms.length; i++) {
      long t0 = System.nanoTime();
      w.step();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    return ms;
  }

  private void finish(Slot slot, Map<String, Double> medians, Map<String, double[]> roundMedians) {
    Workload w = slot.workload;
    ObjectNode line = slot.line;
    String name = w.name();
    List<double[]> rounds = slot.rounds;
    double[] all = rounds.stream().flatMapToDouble(Arrays::stream).toArray();
    Timings t = Timings.of(all);
    double[] perRound = rounds.stream().mapToDouble(r -> Timings.of(r).medianMs()).toArray();
    medians.put(name, t.medianMs());
    roundMedians.put(name, perRound);
    line.put("median_ms", round(t.medianMs(), 3));
    line.put("p10_ms", round(t.p10Ms(), 3));
    line.put("p90_ms", round(t.p90Ms(), 3));
    line.put("steps", t.count());
    if (w.batch() > 0) {
      line.put("images_per_s", round(w.batch() / (t.medianMs() / 1e3), 1));
    }
    if (!Double.isNaN(w.flopsPerStep())) {
      line.put("gflops", round(w.flopsPerStep() / (t.medianMs() / 1e3) / 1e9, 2));
    }
    ArrayNode rm = line.putArray("round_median_ms");
    for (double m : perRound) {
      rm.add(round(m, 3));
    }
    if (w instanceof ModelWorkload m) {
      if (Float.isFinite(m.lastLoss())) {
        line.put("last_loss", round(m.lastLoss(), 6));
      } else {
        // JSON has no NaN: null says the timed steps did not train.
        line.putNull("last_loss");
      }
    }
  }

  /**
   * Inference throughput of an export (its own alternating rounds, best round kept): batches of {@code --batch}
   * (default {@value #EXPORT_BATCH}) images, {@code --steps} batches per path and round.
   */
  private ObjectNode exportLine(Path dir) {
    String name = "export:" + dir;
    ObjectNode line = MAPPER.createObjectNode();
    line.put("name", name);
    try {
      int batch = options.batch() != null ? options.batch() : EXPORT_BATCH;
      ExportBenchmark.Measurement m = ExportBenchmark.run(dir, batch, options.steps());
      line.put("batch", batch);
      line.put("images_per_s_direct", round(m.direct(), 1));
      line.put("images_per_s_serving", round(m.serving(), 1));
      line.put("images_per_s_certify", round(m.certify(), 1));
      line.put("serving_over_direct", round(m.servingOverDirect(), 3));
      line.put("certify_over_serving", round(m.certifyOverServing(), 3));
      LOG.info("{}: {}", name, m.summary());
    } catch (IOException | RuntimeException e) {
      LOG.warn("{} failed: {}", name, e.toString());
      line.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    return line;
  }

  private ObjectNode ratioLine(BenchPlan.Ratio r, Map<String, Double> medians, Map<String, double[]> rounds) {
    double ratio = medians.get(r.numerator()) / medians.get(r.denominator());
    ObjectNode line = MAPPER.createObjectNode();
    line.put("name", r.name());
    line.put("numerator", r.numerator());
    line.put("denominator", r.denominator());
    line.put("ratio", round(ratio, 3));
    double[] a = rounds.get(r.numerator());
    double[] b = rounds.get(r.denominator());
    ArrayNode perRound = line.putArray("round_ratios");
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      perRound.add(round(a[i] / b[i], 3));
    }
    if (r.target() != null) {
      line.put("target", r.target());
      line.put("within_target", ratio <= r.target());
    }
    return line;
  }

  private ObjectNode processLine() {
    ObjectNode line = MAPPER.createObjectNode();
    line.put("name", "process");
    ProcessStats.peakRssKib().ifPresent(k -> line.put("peak_rss_mb", round(k / 1024.0, 1)));
    ProcessStats.rssKib().ifPresent(k -> line.put("rss_mb", round(k / 1024.0, 1)));
    line.put("requested_device", options.device().name().toLowerCase(Locale.ROOT));
    line.put("threads", options.threads());
    line.put("xla", options.xla());
    line.put("cores", Runtime.getRuntime().availableProcessors());
    line.put("warmup", options.warmup());
    line.put("steps", options.steps());
    line.put("rounds", options.rounds());
    line.put("data", options.data() == null ? "random" : options.data());
    String det = System.getenv("TF_DETERMINISTIC_OPS");
    line.put("tf_deterministic_ops", "1".equals(det) || "true".equalsIgnoreCase(det));
    line.put("java", System.getProperty("java.version"));
    return line;
  }

  private void fail(String name, Slot slot, RuntimeException ex) {
    LOG.warn("{} failed: {}", name, ex.toString());
    LOG.debug("failure of {}", name, ex);
    if (slot.workload != null) {
      slot.workload.close();
      slot.workload = null;
    }
    slot.line = MAPPER.createObjectNode();
    slot.line.put("name", name);
    slot.line.put("error", ex.getClass().getSimpleName() + ": " + ex.getMessage());
  }

  private static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }
}
