package org.jlip.imports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.jlip.certify.CertificateRule;
import org.jlip.certify.CertifiedModel;
import org.jlip.model.ModelBound;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A model trained in Python (Keras SavedModel or deel-lip .keras file) as a {@link CertifiedModel}. The bound and
 * attacks use the forward graph jlip rebuilt from the weights; when a SavedModel's signature returns the logits
 * themselves, the logits come from the SavedModel's own signature (what it serves, and about twice as fast as the
 * rebuilt graph on an MLP here), after checking on probe inputs that both compute the same function.
 */
public final class ImportedCertifiedModel implements CertifiedModel {
  private static final int PROBES = 8;
  private final LoadedModel model;
  private final SavedModelBundle bundle;
  private final SessionFunction serving;

  private ImportedCertifiedModel(LoadedModel model, SavedModelBundle bundle, SessionFunction serving) {
    this.model = model;
    this.bundle = bundle;
    this.serving = serving;
  }

  /** Wraps an already loaded model (logits from its rebuilt graph). */
  public static ImportedCertifiedModel of(LoadedModel model) {
    return new ImportedCertifiedModel(model, null, null);
  }

  /**
   * Checks and loads {@code path} (see {@link ModelLoader}); a softmax or sigmoid output is certified on its
   * logits.
   */
  public static ImportedCertifiedModel open(Path path) throws IOException {
    return open(path, ModelLoader.load(path), Signature.DEFAULT_KEY);
  }

  /** Loads the SavedModel in {@code dir} with the given signature. */
  public static ImportedCertifiedModel open(Path dir, String signature) throws IOException {
    return open(dir, KerasSavedModel.load(dir, signature), signature);
  }

  private static ImportedCertifiedModel open(Path path, LoadedModel model, String signature) throws IOException {
    if (!Files.isDirectory(path) || model.finalActivationRemoved().isPresent()) {
      return of(model);
    }
    SavedModelBundle bundle = null;
    try {
      // The guard already accepted this SavedModel when the model was loaded.
      bundle = SavedModelBundle.load(path.toString(), SavedModelBundle.DEFAULT_TAG);
      ImportedCertifiedModel m = new ImportedCertifiedModel(model, bundle, bundle.function(signature));
      m.checkSameFunction();
      return m;
    } catch (IOException | RuntimeException e) {
      if (bundle != null) {
        bundle.close();
      }
      model.close();
      throw e;
    }
  }

  private void checkSameFunction() throws IOException {
    int size = (int) Arrays.stream(model.inputShape()).reduce(1, (a, b) -> a * b);
    float[] x = new float[PROBES * size];
    SplittableRandom rnd = new SplittableRandom(11);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextDouble();
    }
    float[] served;
    try {
      served = servedLogits(x, PROBES);
    } catch (TensorFlowException e) {
      throw new MalformedModelException(model.source() + ": TensorFlow cannot run the SavedModel's signature on "
          + PROBES + " probe images: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    float[][] rebuilt = model.logits(x, PROBES);
    int k = outputs();
    for (int i = 0; i < PROBES; i++) {
      for (int j = 0; j < k; j++) {
        float a = served[i * k + j];
        float b = rebuilt[i][j];
        if (Math.abs(a - b) > 1e-4 * Math.max(1, Math.abs(b))) {
          throw new MalformedModelException(model.source() + ": the rebuilt graph gives " + b
              + " where the SavedModel's signature gives " + a + " (probe " + i + ", logit " + j + ")");
        }
      }
    }
  }

  private float[] servedLogits(float[] images, int n) {
    Map.Entry<String, Signature.TensorDescription> in =
        serving.signature().getInputs().entrySet().iterator().next();
    long[] shape = in.getValue().shape.asArray().clone();
    shape[0] = n;
    if (model.servesNchw()) {
      long[] image = model.inputShape();
      images = nhwcToNchw(images, n, (int) image[0], (int) image[1], (int) image[2]);
    }
    float[] out = new float[n * outputs()];
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(images, true, false));
        Result r = serving.call(Map.of(in.getKey(), x))) {
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
    }
    return out;
  }

  static float[] nhwcToNchw(float[] x, int n, int h, int w, int c) {
    float[] out = new float[x.length];
    for (int i = 0; i < n; i++) {
      int base = i * h * w * c;
      for (int y = 0; y < h; y++) {
        for (int z = 0; z < w; z++) {
          for (int k = 0; k < c; k++) {
            out[base + (k * h + y) * w + z] = x[base + (y * w + z) * c + k];
          }
        }
      }
    }
    return out;
  }

  @Override
  public long[] inputShape() {
    return model.inputShape();
  }

  @Override
  public int outputs() {
    return model.numClasses();
  }

  @Override
  public float[] logits(float[] images, int n) {
    if (serving != null) {
      return servedLogits(images, n);
    }
    float[][] rows = model.logits(images, n);
    int k = outputs();
    float[] out = new float[n * k];
    for (int i = 0; i < n; i++) {
      System.arraycopy(rows[i], 0, out, i * k, k);
    }
    return out;
  }

  @Override
  public CertificateRule rule() {
    return model.rule();
  }

  @Override
  public Double nominalLipschitz() {
    return model.nominalIsOne() ? 1.0 : null;
  }

  @Override
  public ModelBound bound() {
    return model.layerBounds();
  }

  @Override
  public String source() {
    return model.source() + " (bound: " + model.boundMethod()
        + model.finalActivationRemoved().map(a -> "; certified on the logits before its " + a + ")").orElse(")");
  }

  /** The underlying model (its forward pass can be rebuilt in another graph for attacks). */
  public LoadedModel loaded() {
    return model;
  }

  @Override
  public void close() {
    if (bundle != null) {
      bundle.close();
    }
    model.close();
  }
}
