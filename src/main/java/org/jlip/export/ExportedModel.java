package org.jlip.export;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A jlip SavedModel loaded back for inference in Java: its {@code serving_default} and {@code certify}
 * signatures run in batches, every tensor closed. Close it to free the native graph and session.
 */
public final class ExportedModel implements AutoCloseable {
  private final SavedModelBundle bundle;
  private final SessionFunction serving;
  private final SessionFunction certify;
  private final long[] inputShape;
  private final int batchSize;

  private ExportedModel(SavedModelBundle bundle, int batchSize) {
    this.bundle = bundle;
    this.batchSize = batchSize;
    this.serving = bundle.function(SavedModelExporter.SERVING);
    this.certify = bundle.function(SavedModelExporter.CERTIFY);
    Signature.TensorDescription x = serving.signature().getInputs().get("x");
    if (x == null) {
      throw new IllegalArgumentException("signature serving_default has no input 'x': not a jlip export");
    }
    long[] dims = x.shape.asArray();
    this.inputShape = Arrays.copyOfRange(dims, 1, dims.length);
  }

  /** Loads {@code dir} (tag "serve"), running at most 1024 samples per call of the graph. */
  public static ExportedModel load(Path dir) throws NoSuchFileException {
    return load(dir, Inference.BATCH);
  }

  public static ExportedModel load(Path dir, int batchSize) throws NoSuchFileException {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
    }
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new NoSuchFileException(dir.toString(), null, "not a SavedModel directory (no saved_model.pb)");
    }
    SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG);
    try {
      return new ExportedModel(bundle, batchSize);
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  /** Shape of one sample, without the batch axis. */
  public long[] inputShape() {
    return inputShape.clone();
  }

  /** Logits of {@code n} samples given row-major in {@code images}: n x outputs, row-major. */
  public float[] logits(float[] images, int n) {
    return certifyOrServe(images, n, false).logits();
  }

  /** Logits, predicted labels and certified radii of {@code n} samples. */
  public CertifyResult certify(float[] images, int n) {
    return certifyOrServe(images, n, true);
  }

  private CertifyResult certifyOrServe(float[] images, int n, boolean withCertifyResult) {
    int sample = Inference.sampleSize(inputShape, images.length, n);
    float[] logits = null;
    long[] labels = withCertifyResult ? new long[n] : null;
    float[] radii = withCertifyResult ? new float[n] : null;
    int width = 0;
    for (int start = 0; start < n; start += batchSize) {
      int b = Math.min(batchSize, n - start);
      try (TFloat32 x = Inference.batch(images, start, b, sample, inputShape);
          Result r = (withCertifyResult ? certify : serving).call(Map.<String, Tensor>of("x", x))) {
        TFloat32 y = (TFloat32) r.get(SavedModelExporter.LOGITS).orElseThrow();
        if (logits == null) {
          width = (int) (y.shape().size() / b);
          logits = new float[n * width];
        }
        y.copyTo(DataBuffers.of(logits, false, false).offset((long) start * width));
        if (withCertifyResult) {
          ((TInt64) r.get(SavedModelExporter.LABEL).orElseThrow())
              .copyTo(DataBuffers.of(labels, false, false).offset(start));
          ((TFloat32) r.get(SavedModelExporter.RADIUS).orElseThrow())
              .copyTo(DataBuffers.of(radii, false, false).offset(start));
        }
      }
    }
    return new CertifyResult(logits == null ? new float[0] : logits, labels, radii, width);
  }

  /** The loaded bundle, for callers that inspect its graph (e.g. its variables). */
  public SavedModelBundle bundle() {
    return bundle;
  }

  @Override
  public void close() {
    bundle.close();
  }
}
