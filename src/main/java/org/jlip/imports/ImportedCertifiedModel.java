package org.jlip.imports;

import java.io.IOException;
import java.nio.file.Path;
import org.jlip.certify.CertificateRule;
import org.jlip.certify.CertifiedModel;
import org.jlip.model.ModelBound;

/** A model trained in Python (Keras SavedModel or deel-lip .keras file) as a {@link CertifiedModel}. */
public final class ImportedCertifiedModel implements CertifiedModel {
  private final LoadedModel model;

  private ImportedCertifiedModel(LoadedModel model) {
    this.model = model;
  }

  /** Wraps an already loaded model. */
  public static ImportedCertifiedModel of(LoadedModel model) {
    return new ImportedCertifiedModel(model);
  }

  /** Checks and loads {@code path} (see {@link ModelLoader}); a softmax output is certified on its logits. */
  public static ImportedCertifiedModel open(Path path) throws IOException {
    return new ImportedCertifiedModel(ModelLoader.load(path));
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
    return model.source() + " (bound: " + model.boundMethod() + (model.softmaxRemoved()
        ? "; certified on the logits before its softmax)" : ")");
  }

  /** The underlying model (its forward pass can be rebuilt in another graph for attacks). */
  public LoadedModel loaded() {
    return model;
  }

  @Override
  public void close() {
    model.close();
  }
}
