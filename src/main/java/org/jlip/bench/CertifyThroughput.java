package org.jlip.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.jlip.certify.CertificationReport;
import org.jlip.certify.CertifiedModel;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Throughput of what jlip certify does per batch (logits of the model as jlip runs it, then the certificates)
 * against plain inference of the same SavedModel through its serving_default signature. The Lipschitz bound is
 * computed once per model, before timing (it does not depend on the data). Best of alternating rounds.
 */
public final class CertifyThroughput {
  private static final double[] EPS = {0.1, 36.0 / 255, 0.25, 0.5, 1.0};

  private CertifyThroughput() {}

  public static ObjectNode measure(Path savedModel, CertifiedModel model, int batch, int batches, int rounds,
      long seed) {
    int size = (int) Arrays.stream(model.inputShape()).reduce(1, (a, b) -> a * b);
    float[] x = new float[batch * size];
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextDouble();
    }
    model.bound();
    try (SavedModelBundle bundle = SavedModelBundle.load(savedModel.toString(), SavedModelBundle.DEFAULT_TAG)) {
      SessionFunction serving = bundle.function(Signature.DEFAULT_KEY);
      Map.Entry<String, Signature.TensorDescription> in =
          serving.signature().getInputs().entrySet().iterator().next();
      long[] shape = in.getValue().shape.asArray().clone();
      shape[0] = batch;
      double plain = 0;
      double certify = 0;
      for (int r = 0; r < rounds; r++) {
        plain = Math.max(plain, rate(batch, batches, () -> {
          try (TFloat32 t = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(x, true, false));
              Result out = serving.call(Map.of(in.getKey(), t))) {
            out.get(0);
          }
        }));
        certify = Math.max(certify, rate(batch, batches, () ->
            CertificationReport.of(model, model.logits(x, batch), batch, null, EPS)));
      }
      ObjectNode line = new ObjectMapper().createObjectNode();
      line.put("name", "certify:" + savedModel);
      line.put("batch", batch);
      line.put("images_per_s_serving_default", Math.round(plain * 10) / 10.0);
      line.put("images_per_s_jlip_certify", Math.round(certify * 10) / 10.0);
      line.put("certify_over_serving", Math.round(certify / plain * 1000) / 1000.0);
      return line;
    }
  }

  private static double rate(int batch, int batches, Runnable run) {
    run.run();
    long t0 = System.nanoTime();
    for (int i = 0; i < batches; i++) {
      run.run();
    }
    return (double) batch * batches / ((System.nanoTime() - t0) / 1e9);
  }
}
