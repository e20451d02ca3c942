package org.jlip.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jlip.certify.CertifiedModel;
import org.jlip.certify.TrainedCertifiedModel;
import org.jlip.export.ExportCertifiedModel;
import org.jlip.imports.ImportedCertifiedModel;
import org.jlip.model.TrainedModel;

/** Opens whatever --model names: a jlip export, a jlip training run, or a model trained in Python. */
final class CertifiedModels {
  private CertifiedModels() {}

  static CertifiedModel open(Path path, String signature) throws IOException {
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
