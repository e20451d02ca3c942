package org.jlip.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A legacy Keras HDF5 model file, as {@code model.save("m.h5")} writes it in Keras 2 and 3: the architecture as the
 * JSON root attribute {@code model_config} (the format of a {@code .keras} file's config.json), the weights under
 * {@code model_weights} ({@link LegacyH5Layout}). A file from {@code save_weights} has no architecture and is
 * refused.
 */
record LegacyH5File(JsonNode config, HdfFile h5) {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Whether the file starts with the HDF5 signature (Keras writes no user block before it). */
  static boolean isHdf5(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(SIGNATURE.length), SIGNATURE);
    }
  }

  /**
   * @throws UntrustedModelException for a file over {@link KerasZip#MAX_WEIGHTS_BYTES} or a config over
   *     {@link KerasZip#MAX_CONFIG_BYTES}
   * @throws MalformedModelException for an unreadable file or a missing or invalid {@code model_config}
   */
  static LegacyH5File open(Path file) throws IOException {
    long size = Files.size(file);
    if (size > KerasZip.MAX_WEIGHTS_BYTES) {
      throw new UntrustedModelException(file + " is " + size + " bytes, larger than the limit of "
          + KerasZip.MAX_WEIGHTS_BYTES + " for a Keras model file");
    }
    HdfFile h5;
    try {
      h5 = new HdfFile(file);
    } catch (RuntimeException e) {
      throw new MalformedModelException(file + " is not a readable HDF5 file: " + e.getMessage(), e);
    }
    try {
      return new LegacyH5File(config(file, h5), h5);
    } catch (IOException | RuntimeException e) {
      h5.close();
      if (e instanceof IOException io) {
        throw io;
      }
      throw new MalformedModelException(file + ": cannot read its model_config: " + e.getMessage(), e);
    }
  }

  private static JsonNode config(Path file, HdfFile h5) throws IOException {
    Attribute a = h5.getAttribute("model_config");
    if (a == null) {
      throw new MalformedModelException(file + " is an HDF5 file without a model_config attribute: a weights-only"
          + " file (save_weights) holds no architecture; save the whole model (model.save(\"m.keras\") or \"m.h5\")");
    }
    if (a.getSizeInBytes() > KerasZip.MAX_CONFIG_BYTES) {
      throw new UntrustedModelException(file + ": model_config declares " + a.getSizeInBytes() + " bytes, over the"
          + " limit of " + KerasZip.MAX_CONFIG_BYTES);
    }
    Object data = a.getData();
    String text = data instanceof String s ? s
        : data instanceof String[] s && s.length == 1 ? s[0]
        : data instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : null;
    if (text == null) {
      throw new MalformedModelException(file + ": model_config is not a JSON string");
    }
    JsonNode config;
    try {
      config = JSON.readTree(text);
    } catch (IOException e) {
      throw new MalformedModelException(file + ": model_config is not valid JSON: " + e.getMessage(), e);
    }
    if (!config.isObject()) {
      throw new MalformedModelException(file + ": model_config is not a JSON object");
    }
    unregister(config);
    return config;
  }

  /**
   * Keras 3's legacy writer names a registered class by its registration ("deel-lip>SpectralConv2D") where a
   * {@code .keras} config has the class name and the registration apart: keep the class name, as there.
   */
  private static void unregister(JsonNode node) {
    if (node instanceof ObjectNode o && o.path("class_name").isTextual()) {
      String name = o.path("class_name").asText();
      o.put("class_name", name.substring(name.lastIndexOf('>') + 1));
    }
    node.forEach(LegacyH5File::unregister);
  }
}
