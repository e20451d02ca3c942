package org.jlip.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jlip.certify.CertifiedModel;
import org.jlip.certify.TrainedCertifiedModel;
import org.jlip.export.ExportCertifiedModel;
import org.jlip.imports.ImportedCertifiedModel;
import org.jlip.model.TrainedModel;

/**
 * Opens any model jlip certifies: a jlip export or training run, or a model trained in Python (Keras SavedModel,
 * Keras/deel-lip .keras or .h5 file, ONNX file). A file from elsewhere is checked as untrusted input.
 */
public final class CertifiedModels {
  private CertifiedModels() {}

  /** The model at {@code path}, a Keras SavedModel read through its serving_default signature. */
  public static CertifiedModel open(Path path) throws IOException {
    return open(path, null);
  }

  /**
   * The model at {@code path}.
   *
   * @param signature for a Keras SavedModel directory, the signature to read (null: serving_default)
   * @throws IllegalArgumentException when nothing is at {@code path}, or a signature is given for a file
   */
  public static CertifiedModel open(Path path, String signature) throws IOException {
    if (!Files.exists(path)) {
      throw new IllegalArgumentException("no model at " + path.toAbsolutePath());
    }
    if (Files.isRegularFile(path.resolve(TrainedModel.MODEL_FILE))) {
      return TrainedCertifiedModel.open(path);
    }
    if (Files.isRegularFile(path.resolve("assets.extra").resolve("jlip.json"))) {
      return ExportCertifiedModel.open(path);
    }
    if (signature != null) {
      if (!Files.isDirectory(path)) {
        throw new IllegalArgumentException("--signature applies to SavedModel directories, not to " + path);
      }
      return ImportedCertifiedModel.open(path, signature);
    }
    return ImportedCertifiedModel.open(path);
  }
}
