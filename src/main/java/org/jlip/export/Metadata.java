package org.jlip.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jlip.certify.CertificateRule;
import org.jlip.layers.LayerBound;
import org.jlip.model.ModelBound;
import org.jlip.model.ModelJson;
import org.jlip.model.ModelSpec;

/** The jlip.json file of an export: what the SavedModel itself cannot say about its model. */
final class Metadata {
  static final String DIR = "assets.extra";
  static final String FILE = "jlip.json";
  static final int FORMAT_VERSION = 1;

  private Metadata() {}

  static ObjectNode build(ModelSpec spec, ModelSpec vanilla, int classes, List<String> classNames,
      CertificateRule rule, ExportOptions options) {
    ObjectMapper m = ModelJson.mapper();
    ObjectNode root = m.createObjectNode();
    root.put("format", "jlip-savedmodel");
    root.put("formatVersion", FORMAT_VERSION);
    root.put("jlipVersion", jlipVersion());
    root.put("inputName", "x");
    root.set("inputShape", m.valueToTree(spec.inputShape()));
    int rank = spec.inputShape().size();
    root.put("layout", rank == 3 ? "NHWC" : rank == 1 ? "NC" : "N" + "D".repeat(rank));
    root.put("outputs", classes);
    if (classNames != null) {
      root.set("classNames", m.valueToTree(classNames));
    }
    ObjectNode lip = root.putObject("lipschitz");
    putFinite(lip, "nominal", options.nominalLipschitz());
    putFinite(lip, "measured", options.measuredLipschitz());
    lip.put("certificate", options.lipschitz());
    ObjectNode cert = root.putObject("certificate");
    cert.put("rule", rule.name());
    cert.put("divisor", rule.divisor());
    cert.put("formula", rule == CertificateRule.BINARY ? "radius = |f| / L"
        : options.pairwise(rule) ? "radius = min_j (f_i - f_j) / (L_body * (|w_i| + |w_j|)), i the predicted class"
        : "radius = (f_top1 - f_top2) / (divisor * L)");
    if (options.pairwise(rule)) {
      cert.put("lipschitzBody", options.layerBounds().measuredBody());
      cert.set("neuronNorms", ModelJson.mapper().valueToTree(options.layerBounds().headNorms()));
    }
    cert.put("lipschitz", options.lipschitz());
    if (options.layerBounds() != null) {
      ArrayNode layers = lip.putArray("layers");
      ModelBound b = options.layerBounds();
      for (int i = 0; i < b.layers().size(); i++) {
        LayerBound lb = b.layers().get(i);
        ObjectNode row = layers.addObject();
        row.put("name", b.layerNames().get(i));
        putFinite(row, "nominal", lb.nominal());
        row.put("measured", lb.measured());
        row.put("estimate", lb.estimate());
        row.put("method", lb.method());
        row.put("perOutput", lb.perOutput());
      }
    }
    if (options.trainingMetrics() != null) {
      root.set("trainingMetrics", options.trainingMetrics().deepCopy());
    }
    root.set("model", readTree(m, ModelJson.toJson(spec)));
    root.set("exportedModel", readTree(m, ModelJson.toJson(vanilla)));
    return root;
  }

  static String toJson(ObjectNode node) {
    try {
      return ModelJson.mapper().writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write export metadata", e);
    }
  }

  /** The version in the jar's manifest; "dev" when running from classes (tests, IDE). */
  static String jlipVersion() {
    String v = Metadata.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }

  /** JSON has no infinity: an unbounded constant is recorded as null. */
  private static void putFinite(ObjectNode node, String field, Double value) {
    if (value == null || value.isInfinite() || value.isNaN()) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode readTree(ObjectMapper m, String json) {
    try {
      return m.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot re-read a model description", e);
    }
  }
}
