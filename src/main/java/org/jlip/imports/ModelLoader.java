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
    String pickled = pickledPyTorch(path);
    if (pickled != null) {
      throw new UnsupportedModelException(path + " is " + pickled + ", which jlip does not read: its pickled"
          + " objects run code when they are loaded. Export the model to ONNX instead, e.g."
          + " torch.onnx.export(model.eval(), torch.rand(1, C, H, W), \"model.onnx\"), and pass the .onnx file");
    }
    throw new MalformedModelException(path + " is neither a SavedModel folder, a .keras file, a Keras HDF5 (.h5)"
        + " model file nor an ONNX (.onnx) model");
  }

  /** What kind of PyTorch file {@code path} is (torch.save's zip or legacy pickle, TorchScript), or null. */
  static String pickledPyTorch(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      return null;
    }
    byte[] head = new byte[4];
    try (var in = Files.newInputStream(path)) {
      if (in.readNBytes(head, 0, 4) < 2) {
        return null;
      }
    }
    if ((head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
      return "a pickled PyTorch checkpoint (torch.save, legacy format)";
    }
    if (head[0] != 'P' || head[1] != 'K') {
      return null;
    }
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(path.toFile())) {
      boolean pickle = false;
      boolean script = false;
      for (var e = zip.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        pickle |= name.endsWith("/data.pkl") || name.equals("data.pkl");
        script |= name.contains("/code/") && name.endsWith(".py");
      }
      return !pickle ? null : script ? "a TorchScript archive (torch.jit.save)" : "a PyTorch checkpoint (torch.save)";
    } catch (java.util.zip.ZipException e) {
      return null;
    }
  }
}
