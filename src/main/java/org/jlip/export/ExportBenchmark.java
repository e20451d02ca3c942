package org.jlip.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.jlip.model.ModelJson;
import org.jlip.model.ModelSpec;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Inference throughput of an export: its serving_default and certify signatures through the SavedModel loader,
 * against the same plain architecture built directly in TF Java (from the export's own description and weights)
 * and run with a session runner. Not a test: {@code jlip bench} prints {@link Measurement#summary()}.
 */
public final class ExportBenchmark {

  /**
   * Images per second of each path.
   *
   * @param batchSize images per run
   * @param batches timed runs per path and round (best of 3 alternating rounds, each after a warm-up run)
   */
  public record Measurement(int batchSize, int batches, double direct, double serving, double certify) {

    /** SavedModel serving throughput over direct graph throughput (1 = no overhead). */
    public double servingOverDirect() {
      return serving / direct;
    }

    /** certify throughput over serving_default throughput (the price of the certificate ops). */
    public double certifyOverServing() {
      return certify / serving;
    }

    public String summary() {
      return String.format(Locale.ROOT, "batch %d x %d runs: direct TF Java graph %.0f images/s, SavedModel"
          + " serving_default %.0f images/s (x%.3f of direct), certify %.0f images/s (x%.3f of serving_default)",
          batchSize, batches, direct, serving, servingOverDirect(), certify, certifyOverServing());
    }
  }

  private static final int ROUNDS = 3;

  private ExportBenchmark() {}

  /**
   * Times the three paths on one random batch of {@code batchSize} images; first checks that the direct graph
   * reproduces the SavedModel's logits (to 1e-5), so both compute the same function.
   */
  public static Measurement run(Path dir, int batchSize, int batches) throws IOException {
    if (batchSize <= 0 || batches <= 0) {
      throw new IllegalArgumentException("batchSize and batches must be > 0, got " + batchSize + ", " + batches);
    }
    SavedModelInfo info = SavedModelInfo.read(dir);
    if (info.metadata() == null || !info.metadata().has("exportedModel")) {
      throw new IllegalArgumentException(dir + " is not a jlip export (no " + Metadata.DIR + "/" + Metadata.FILE
          + ")");
    }
    ModelSpec spec = ModelJson.parse(info.metadata().get("exportedModel").toString());
    long[] shape = spec.inputShapeArray();
    int sample = 1;
    for (long d : shape) {
      sample *= (int) d;
    }
    float[] images = new float[batchSize * sample];
    Random random = new Random(1);
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat();
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG);
        VanillaGraph direct = withWeightsOf(spec, bundle);
        TFloat32 x = Inference.batch(images, 0, batchSize, sample, shape)) {
      SessionFunction serving = bundle.function(SavedModelExporter.SERVING);
      SessionFunction certify = bundle.function(SavedModelExporter.CERTIFY);
      float[] viaExport = runFunction(serving, x);
      float[] viaDirect = runDirect(direct, x);
      for (int i = 0; i < viaExport.length; i++) {
        if (Math.abs(viaExport[i] - viaDirect[i]) > 1e-5f) {
          throw new IllegalStateException("the direct graph does not reproduce the export at value " + i + ": "
              + viaDirect[i] + " vs " + viaExport[i]);
        }
      }
      // Best of several alternating rounds: the paths share the machine's noise, the best round is the least
      // disturbed one.
      double directRate = 0;
      double servingRate = 0;
      double certifyRate = 0;
      for (int round = 0; round < ROUNDS; round++) {
        directRate = Math.max(directRate, rate(batchSize, batches, () -> runDirect(direct, x)));
        servingRate = Math.max(servingRate, rate(batchSize, batches, () -> runFunction(serving, x)));
        certifyRate = Math.max(certifyRate, rate(batchSize, batches, () -> runFunction(certify, x)));
      }
      return new Measurement(batchSize, batches, directRate, servingRate, certifyRate);
    }
  }

  /** {@code ExportBenchmark DIR [batches]}: prints the measurement at batch 1024. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: ExportBenchmark SAVED_MODEL_DIR [batches]");
      System.exit(2);
    }
    int batches = args.length == 2 ? Integer.parseInt(args[1]) : 20;
    System.out.println(run(Path.of(args[0]), Inference.BATCH, batches).summary());
  }

  /** The plain graph of {@code spec} holding the bundle's variables (same names in both graphs). */
  private static VanillaGraph withWeightsOf(ModelSpec spec, SavedModelBundle bundle) {
    List<Map<String, float[]>> none = new ArrayList<>();
    spec.layers().forEach(l -> none.add(Map.of()));
    VanillaGraph g = VanillaGraph.build(spec, none);
    try {
      Map<String, float[]> values = new LinkedHashMap<>();
      bundle.graph().operations().forEachRemaining(op -> {
        if (op.type().equals("VariableV2")) {
          try (Result r = bundle.session().runner().fetch(op.name()).run()) {
            values.put(op.name(), copy((TFloat32) r.get(0)));
          }
        }
      });
      g.assign(values);
      return g;
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
  }

  private static float[] runDirect(VanillaGraph g, TFloat32 x) {
    try (Result r = g.session.runner().feed(g.input, x).fetch(g.logits).run()) {
      return copy((TFloat32) r.get(0));
    }
  }

  private static float[] runFunction(SessionFunction f, TFloat32 x) {
    try (Result r = f.call(Map.<String, Tensor>of("x", x))) {
      return copy((TFloat32) r.get(SavedModelExporter.LOGITS).orElseThrow());
    }
  }

  private static float[] copy(TFloat32 t) {
    float[] out = new float[(int) t.shape().size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  private static double rate(int batchSize, int batches, Runnable run) {
    run.run();
    long start = System.nanoTime();
    for (int i = 0; i < batches; i++) {
      run.run();
    }
    return (double) batchSize * batches / ((System.nanoTime() - start) / 1e9);
  }
}
