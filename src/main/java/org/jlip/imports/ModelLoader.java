package org.jlip.imports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a model trained elsewhere: a SavedModel folder, a Keras 3 {@code .keras} file, a legacy Keras HDF5 model
 * file ({@code .h5}), deel-lip or plain, or an ONNX model ({@code .onnx}, e.g. from PyTorch).
 */
public final class ModelLoader {
  private ModelLoader() {}

  /**
   * A SavedModel folder (serving_default signature), a {@code .keras} file or a Keras HDF5 model file (told by its
   * signature, whatever its extension).
   *
   * @throws MalformedModelException, UntrustedModelException, UnsupportedModelException with the reason
   */
  public static LoadedModel load(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      return KerasSavedModel.load(path);
    }
    if ((path.getFileName() != null && path.getFileName().toString().endsWith(".keras"))
        || LegacyH5File.isHdf5(path)) {
      return KerasFileImporter.read(path);
    }
    if (OnnxFile.looksLikeOnnx(path)) {
      return OnnxImporter.read(path);
    }
    throw new MalformedModelException(path + " is neither a SavedModel folder, a .keras file, a Keras HDF5 (.h5)"
        + " model file nor an ONNX (.onnx) model");
  }
}
