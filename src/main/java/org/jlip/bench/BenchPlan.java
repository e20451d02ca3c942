package org.jlip.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jlip.data.DataLocator;
import org.jlip.data.Dataset;
import org.jlip.data.Split;
import org.jlip.layers.Conv2DConfig;
import org.jlip.layers.DenseConfig;
import org.jlip.layers.LayerConfig;
import org.jlip.layers.SpectralConv2DConfig;
import org.jlip.layers.SpectralDenseConfig;
import org.jlip.model.ModelJson;
import org.jlip.model.ModelSpec;

/**
 * Which workloads a benchmark run builds and which ratios it may report, from the selected names. Each name
 * selects its own measurement; a ratio is reported when both of its sides were measured. exact-conv is itself a
 * comparison, so it also measures layer-spectral-conv, its default side; bound-dft likewise measures the
 * exhaustive bound it replaced.
 */
final class BenchPlan {
  static final String MATMUL = MatMulWorkload.NAME;
  static final String DENSE = "layer-dense";
  static final String SPECTRAL_DENSE = "layer-spectral-dense";
  static final String CONV = "layer-conv";
  static final String SPECTRAL_CONV = "layer-spectral-conv";
  static final String EXACT_CONV = "exact-conv";
  static final String BOUND_DFT = "bound-dft";
  static final String BOUND_DFT_EXHAUSTIVE = "bound-dft-exhaustive";
  static final String MODELS = "models";
  static final String MODEL_PREFIX = "model:";
  /** The names {@code --only} accepts besides "model:FILE". */
  static final List<String> NAMES = List.of(MATMUL, DENSE, SPECTRAL_DENSE, CONV, SPECTRAL_CONV, EXACT_CONV,
      BOUND_DFT, MODELS);
  /** What runs without {@code --only}: bound-dft's steps take about a second each here, so it is asked for. */
  static final List<String> DEFAULTS = NAMES.stream().filter(n -> !n.equals(BOUND_DFT)).toList();
  /** The bound measurement's layer: the large Fashion-MNIST model's 128-channel convolutions on 14x14 inputs. */
  static final int BOUND_CHANNELS = 128;
  static final int BOUND_SIZE = 14;

  static final int MATMUL_SIZE = 1024;
  static final int LAYER_BATCH = 128;
  /** Issue 4's targets: a spectral conv at most 1.3x a plain one, an HKR model at most 2x its baseline. */
  static final double CONV_TARGET = 1.3;
  static final double MODEL_TARGET = 2.0;
  private static final Map<String, String> PLAIN = Map.of("SpectralConv2D", "Conv2D", "FrobeniusConv2D", "Conv2D",
      "SpectralDense", "Dense", "FrobeniusDense", "Dense");

  /** A ratio of two medians measured in the same run; target null when the issue sets none. */
  record Ratio(String name, String numerator, String denominator, Double target) {}

  /** How to make a workload once the plan is final. */
  @FunctionalInterface
  interface Factory {
    Workload create(BenchOptions o);
  }

  private final Map<String, Factory> workloads = new LinkedHashMap<>();
  private final List<Ratio> ratios = new ArrayList<>();
  private final Map<String, ModelSpec> models = new LinkedHashMap<>();
  private Dataset data;

  private BenchPlan() {}

  /**
   * @throws IllegalArgumentException for an unknown name or an unreadable model file
   */
  static BenchPlan of(BenchOptions o) {
    Set<String> selected = new LinkedHashSet<>();
    List<Path> modelFiles = new ArrayList<>();
    for (String raw : o.only().isEmpty() ? DEFAULTS : o.only()) {
      String n = raw.trim();
      if (n.startsWith(MODEL_PREFIX)) {
        modelFiles.add(Path.of(n.substring(MODEL_PREFIX.length())));
      } else if (NAMES.contains(n)) {
        selected.add(n);
      } else {
        throw new IllegalArgumentException("unknown measurement '" + n + "'; known: " + NAMES + " or model:FILE");
      }
    }
    if (selected.contains(MODELS)) {
      modelFiles.addAll(o.models());
    }
    BenchPlan p = new BenchPlan();
    if (selected.contains(MATMUL)) {
      p.workloads.put(MATMUL, opt -> new MatMulWorkload(MATMUL_SIZE, opt.device(), opt.threads(), opt.seed()));
    }
    long[] flat = {784};
    long[] image = {28, 28, 16};
    if (selected.contains(DENSE)) {
      p.layer(DENSE, new DenseConfig(256), flat);
    }
    if (selected.contains(SPECTRAL_DENSE)) {
      p.layer(SPECTRAL_DENSE, new SpectralDenseConfig(256), flat);
    }
    if (selected.contains(CONV)) {
      p.layer(CONV, new Conv2DConfig(32, List.of(3, 3), null, "same", null, null), image);
    }
    if (selected.contains(SPECTRAL_CONV) || selected.contains(EXACT_CONV)) {
      p.layer(SPECTRAL_CONV, new SpectralConv2DConfig(32, 3), image);
    }
    if (selected.contains(EXACT_CONV)) {
      p.layer(EXACT_CONV, new SpectralConv2DConfig(32, List.of(3, 3), null, null, null, null, null, null, null,
          null, null, true, null), image);
    }
    if (selected.contains(BOUND_DFT)) {
      p.workloads.put(BOUND_DFT, opt -> new BoundWorkload(BOUND_DFT, false, BOUND_CHANNELS, BOUND_SIZE, opt.seed()));
      p.workloads.put(BOUND_DFT_EXHAUSTIVE,
          opt -> new BoundWorkload(BOUND_DFT_EXHAUSTIVE, true, BOUND_CHANNELS, BOUND_SIZE, opt.seed()));
    }
    p.ratios.add(new Ratio("ratio-spectral-dense", SPECTRAL_DENSE, DENSE, null));
    p.ratios.add(new Ratio("ratio-bound-dft", BOUND_DFT, BOUND_DFT_EXHAUSTIVE, null));
    p.ratios.add(new Ratio("ratio-spectral-conv", SPECTRAL_CONV, CONV, CONV_TARGET));
    p.ratios.add(new Ratio("ratio-exact-conv", EXACT_CONV, SPECTRAL_CONV, null));
    p.models(modelFiles, o);
    return p;
  }

  private void layer(String name, LayerConfig config, long[] inputShape) {
    workloads.put(name, o -> new LayerWorkload(name, config, inputShape,
        o.batch() != null ? o.batch() : LAYER_BATCH, o.device(), o.threads(), o.seed()));
  }

  private void models(List<Path> files, BenchOptions o) {
    for (Path f : files) {
      String name = MODEL_PREFIX + f;
      if (models.containsKey(name)) {
        continue;
      }
      ModelSpec spec;
      try {
        spec = ModelJson.read(f);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read model file " + f + ": " + e.getMessage(), e);
      }
      models.put(name, spec);
    }
    for (Map.Entry<String, ModelSpec> e : models.entrySet()) {
      workloads.put(e.getKey(), opt -> new ModelWorkload(e.getKey(), e.getValue(), opt.batch(),
          trainData(opt), opt.device(), opt.threads(), opt.seed(), opt.xla()));
    }
    // Each constrained model against each unconstrained one; issue 4's target applies to a baseline of the same
    // layout only (a plain conv net with other layers is a different comparison).
    for (Map.Entry<String, ModelSpec> l : models.entrySet()) {
      for (Map.Entry<String, ModelSpec> b : models.entrySet()) {
        if (!l.getValue().allowNonLipschitz() && b.getValue().allowNonLipschitz()) {
          ratios.add(new Ratio("ratio-model", l.getKey(), b.getKey(),
              sameLayout(l.getValue(), b.getValue()) ? MODEL_TARGET : null));
        }
      }
    }
  }

  /**
   * True when the baseline has the constrained model's layers with each constrained layer replaced by its plain
   * counterpart (SpectralConv2D and FrobeniusConv2D by Conv2D, SpectralDense and FrobeniusDense by Dense).
   */
  static boolean sameLayout(ModelSpec constrained, ModelSpec baseline) {
    List<String> a = constrained.layers().stream().map(c -> PLAIN.getOrDefault(c.type(), c.type())).toList();
    List<String> b = baseline.layers().stream().map(LayerConfig::type).toList();
    return a.equals(b);
  }

  /** Loads the training data once for all models (null: random data). */
  private Dataset trainData(BenchOptions o) {
    if (o.data() == null) {
      return null;
    }
    if (data == null) {
      try {
        data = DataLocator.load(o.data(), Split.TRAIN);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return data;
  }

  Map<String, Factory> workloads() {
    return workloads;
  }

  List<Ratio> ratios() {
    return ratios;
  }
}
