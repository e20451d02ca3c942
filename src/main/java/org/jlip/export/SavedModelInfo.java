package org.jlip.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jlip.model.ModelBound;
import org.jlip.model.ModelJson;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * What an exported directory says about itself, read without starting TensorFlow: the signatures of its
 * saved_model.pb and its jlip.json metadata (null for a SavedModel not written by jlip). {@link #report()} is the
 * text of {@code jlip inspect DIR}.
 *
 * @param dir the SavedModel directory
 * @param tags the tag sets of its meta graphs
 * @param signatures key -> signature, sorted by key
 * @param metadata the content of assets.extra/jlip.json, or null
 */
public record SavedModelInfo(Path dir, List<List<String>> tags, Map<String, SignatureInfo> signatures,
    JsonNode metadata) {

  /** One tensor of a signature: its graph tensor name, dtype and shape (-1 = any size). */
  public record TensorSpec(String tensorName, String dtype, List<Long> shape) {}

  public record SignatureInfo(String key, String methodName, Map<String, TensorSpec> inputs,
      Map<String, TensorSpec> outputs) {}

  public static SavedModelInfo read(Path dir) throws IOException {
    Path pb = dir.resolve("saved_model.pb");
    SavedModel saved;
    try (InputStream in = Files.newInputStream(pb)) {
      saved = SavedModel.parseFrom(in);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(dir.toString(), null, "not a SavedModel directory (no saved_model.pb)");
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IOException("not a valid SavedModel: cannot parse " + pb + ": " + e.getMessage(), e);
    }
    List<List<String>> tags = new ArrayList<>();
    Map<String, SignatureInfo> signatures = new TreeMap<>();
    for (MetaGraphDef mg : saved.getMetaGraphsList()) {
      tags.add(List.copyOf(mg.getMetaInfoDef().getTagsList()));
      for (Map.Entry<String, SignatureDef> e : mg.getSignatureDefMap().entrySet()) {
        SignatureDef s = e.getValue();
        signatures.putIfAbsent(e.getKey(), new SignatureInfo(e.getKey(), s.getMethodName(),
            tensors(s.getInputsMap()), tensors(s.getOutputsMap())));
      }
    }
    Path meta = dir.resolve(Metadata.DIR).resolve(Metadata.FILE);
    JsonNode metadata = null;
    if (Files.exists(meta)) {
      try {
        metadata = ModelJson.mapper().readTree(meta.toFile());
      } catch (IOException e) {
        throw new IOException("cannot read export metadata " + meta + ": " + e.getMessage(), e);
      }
    }
    return new SavedModelInfo(dir, List.copyOf(tags), Map.copyOf(signatures), metadata);
  }

  /** A human-readable summary: signatures with their tensors, then jlip's metadata when present. */
  public String report() {
    StringBuilder b = new StringBuilder();
    b.append("SavedModel ").append(dir.toAbsolutePath()).append('\n');
    b.append("  tags: ").append(tags).append('\n');
    b.append("  signatures:\n");
    for (SignatureInfo s : new TreeMap<>(signatures).values()) {
      b.append("    ").append(s.key()).append(":\n");
      s.inputs().forEach((n, t) -> b.append("      in  ").append(describe(n, t)).append('\n'));
      s.outputs().forEach((n, t) -> b.append("      out ").append(describe(n, t)).append('\n'));
    }
    if (metadata == null) {
      b.append("  no jlip metadata (").append(Metadata.DIR).append('/').append(Metadata.FILE)
          .append("): not a jlip export\n");
      return b.toString();
    }
    b.append("  jlip version: ").append(text("jlipVersion")).append('\n');
    b.append("  input: ").append(metadata.path("inputShape")).append(' ').append(text("layout")).append('\n');
    b.append("  outputs: ").append(text("outputs"));
    if (metadata.has("classNames")) {
      b.append(' ').append(metadata.get("classNames"));
    }
    b.append('\n');
    JsonNode lip = metadata.path("lipschitz");
    b.append("  Lipschitz constant: nominal ").append(orUnbounded(lip.path("nominal")))
        .append(", measured ").append(orUnbounded(lip.path("measured")))
        .append(", used by certify ").append(lip.path("certificate").asText()).append('\n');
    if (lip.has("layers")) {
      b.append("  Lipschitz bound per layer:\n").append(ModelBound.header());
      for (JsonNode l : lip.get("layers")) {
        b.append(ModelBound.row(l.path("name").asText(), l.path("nominal").isNumber()
                ? l.path("nominal").asDouble() : Double.POSITIVE_INFINITY, l.path("measured").asDouble(),
            l.path("estimate").asDouble(), l.path("method").asText(), l.path("perOutput").asBoolean()));
      }
    }
    JsonNode cert = metadata.path("certificate");
    b.append("  certificate: ").append(cert.path("rule").asText()).append(", ")
        .append(cert.path("formula").asText()).append('\n');
    if (metadata.has("trainingMetrics")) {
      b.append("  training metrics:\n");
      metadata.get("trainingMetrics").fields().forEachRemaining(
          e -> b.append("    ").append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
    }
    JsonNode layers = metadata.path("model").path("layers");
    b.append("  layers (").append(layers.size()).append("):\n");
    for (JsonNode l : layers) {
      b.append("    ").append(l.path("type").asText());
      String params = fieldsExcept(l, "type");
      b.append(params.isEmpty() ? "" : " " + params).append('\n');
    }
    return b.toString();
  }

  private String text(String field) {
    return metadata.path(field).asText();
  }

  private static String orUnbounded(JsonNode n) {
    return n.isNumber() ? n.asText() : "unbounded/unknown";
  }

  private static String fieldsExcept(JsonNode node, String skip) {
    List<String> parts = new ArrayList<>();
    node.fields().forEachRemaining(e -> {
      if (!e.getKey().equals(skip)) {
        parts.add(e.getKey() + "=" + e.getValue());
      }
    });
    return String.join(" ", parts);
  }

  private static String describe(String name, TensorSpec t) {
    return name + " " + t.dtype() + " " + t.shape() + " (" + t.tensorName() + ")";
  }

  private static Map<String, TensorSpec> tensors(Map<String, TensorInfo> infos) {
    return infos.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> {
      TensorInfo t = e.getValue();
      TensorShapeProto shape = t.getTensorShape();
      List<Long> dims = shape.getUnknownRank() ? null
          : shape.getDimList().stream().map(TensorShapeProto.Dim::getSize).toList();
      return new TensorSpec(t.getName(), t.getDtype().name(), dims);
    }, (a, b) -> a, TreeMap::new));
  }
}
