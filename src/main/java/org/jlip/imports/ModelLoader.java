package org.jlip.imports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a model trained elsewhere: a SavedModel folder or a Keras 3 {@code .keras} file (deel-lip or plain). */
public final class ModelLoader {
  private ModelLoader() {}

  /**
   * A SavedModel folder (serving_default signature) or a {@code .keras} file.
   *
   * @throws MalformedModelException, UntrustedModelException, UnsupportedModelException with the reason
   */
  public static LoadedModel load(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      return KerasSavedModel.load(path);
    }
    if (path.getFileName() != null && path.getFileName().toString().endsWith(".keras")) {
      return KerasFileImporter.read(path);
    }
    throw new MalformedModelException(path + " is neither a SavedModel folder nor a .keras file");
  }
}
