package org.jlip.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jlip.layers.LayerConfig;
import org.jlip.layers.LayerRegistry;

/**
 * Reads and writes model descriptions as JSON, like a Keras config: each layer is an object with its "type"
 * (deel-lip's class name) and its parameters. Errors name the layer index, the field and what is allowed.
 */
public final class ModelJson {
  private static final Set<String> TOP_FIELDS =
      Set.of("name", "inputShape", "layers", "kCoefLip", "allowNonLipschitz", "classNames", "training");

  // Model descriptions are read strictly: a duplicate key, text after the object, or a value of another JSON type
  // ("10" for a count, 5 for a name) is a slip in a hand-written file that Jackson would otherwise settle silently.
  // Numbers may still come as text, since Jackson writes infinite and NaN values ("alpha": "Infinity") so.
  private static final ObjectMapper MAPPER = strictMapper();

  // Metadata, metrics and trainer state, which jlip writes itself.
  private static final ObjectMapper LENIENT = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private static ObjectMapper strictMapper() {
    ObjectMapper m = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .build();
    m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    for (CoercionInputShape from : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
        CoercionInputShape.Boolean)) {
      m.coercionConfigFor(LogicalType.Textual).setCoercion(from, CoercionAction.Fail);
    }
    return m;
  }

  private ModelJson() {}

  public static ModelSpec read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException("cannot read model file " + file + ": " + e.getMessage(), e);
    }
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses a model description; IllegalArgumentException names the layer index and field at fault. */
  public static ModelSpec parse(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      // Jackson names the source it was told not to include; keep the line and column only.
      throw new IllegalArgumentException("not valid JSON" + where + ": "
          + e.getOriginalMessage().replaceAll("\\[Source: [^;]*; ", "["));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("a model description must be a JSON object");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!TOP_FIELDS.contains(f)) {
        throw new IllegalArgumentException("unknown field '" + f + "'; allowed: " + sorted(TOP_FIELDS));
      }
    }
    JsonNode layersNode = root.get("layers");
    if (layersNode == null || !layersNode.isArray()) {
      throw new IllegalArgumentException("field 'layers' must be an array of layer objects");
    }
    List<LayerConfig> layers = new ArrayList<>();
    for (int i = 0; i < layersNode.size(); i++) {
      layers.add(parseLayer(i, layersNode.get(i)));
    }
    return new ModelSpec(
        text(root, "name"),
        convert(root.get("inputShape"), "inputShape", new TypeReference<>() {}),
        layers,
        convert(root.get("kCoefLip"), "kCoefLip", new TypeReference<Double>() {}),
        convert(root.get("allowNonLipschitz"), "allowNonLipschitz",
            new TypeReference<Boolean>() {}),
        convert(root.get("classNames"), "classNames",
            new TypeReference<List<String>>() {}),
        parseTraining(root.get("training")));
  }

  static LayerConfig parseLayer(int index, JsonNode node) {
    String where = "layer " + index;
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(where + ": must be an object with a \"type\" field");
    }
    JsonNode typeNode = node.get("type");
    if (typeNode == null || !typeNode.isTextual()) {
      throw new IllegalArgumentException(where + ": missing \"type\"; allowed: " + LayerRegistry.typeNames());
    }
    String type = typeNode.asText();
    Class<? extends LayerConfig> cls = LayerRegistry.configClass(type);
    if (cls == null) {
      throw new IllegalArgumentException(
          where + ": unknown layer type '" + type + "'; allowed: " + LayerRegistry.typeNames());
    }
    ObjectNode params = ((ObjectNode) node).deepCopy();
    params.remove("type");
    requireKnownFields(params, cls, where + " (" + type + ")");
    try {
      return MAPPER.treeToValue(params, cls);
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(where + " (" + type + "): unknown field '" + e.getPropertyName()
          + "'; allowed: " + fieldsOf(cls));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(where + " (" + type + "): " + describe(e, params), rootCause(e));
    }
  }

  private static TrainingSpec parseTraining(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    requireKnownFields(node, TrainingSpec.class, "training");
    JsonNode loss = node.get("loss");
    if (loss != null && loss.isObject()) {
      requireKnownFields(loss, LossSpec.class, "training.loss");
    }
    JsonNode schedule = node.get("lossSchedule");
    for (int i = 0; schedule != null && schedule.isArray() && i < schedule.size(); i++) {
      if (schedule.get(i).isObject()) {
        requireKnownFields(schedule.get(i), LossParamSchedule.class, "training.lossSchedule[" + i + "]");
      }
    }
    try {
      return MAPPER.treeToValue(node, TrainingSpec.class);
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException("training: unknown field '" + e.getPropertyName() + "'; allowed: "
          + fieldsOf(e.getReferringClass()));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("training: " + describe(e, node), rootCause(e));
    }
  }

  public static String toJson(ModelSpec spec) {
    ObjectNode root = MAPPER.createObjectNode();
    if (spec.name() != null) {
      root.put("name", spec.name());
    }
    root.set("inputShape", MAPPER.valueToTree(spec.inputShape()));
    ArrayNode layers = root.putArray("layers");
    for (LayerConfig c : spec.layers()) {
      layers.add(layerToJson(c));
    }
    if (spec.kCoefLip() != null) {
      root.put("kCoefLip", spec.kCoefLip());
    }
    if (spec.allowNonLipschitz()) {
      root.put("allowNonLipschitz", true);
    }
    if (spec.classNames() != null) {
      root.set("classNames", MAPPER.valueToTree(spec.classNames()));
    }
    if (spec.training() != null) {
      root.set("training", MAPPER.valueToTree(spec.training()));
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write model description", e);
    }
  }

  /** One layer as {"type": ..., params...}. */
  public static ObjectNode layerToJson(LayerConfig c) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("type", c.type());
    node.setAll((ObjectNode) MAPPER.valueToTree(c));
    return node;
  }

  /** The mapper for what jlip writes and reads back itself (metadata, metrics, trainer state). */
  public static ObjectMapper mapper() {
    return LENIENT;
  }

  /** Checked before binding: a record's constructor would otherwise report a missing field first. */
  private static void requireKnownFields(JsonNode node, Class<?> cls, String where) {
    List<String> allowed = fieldsOf(cls);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new IllegalArgumentException(where + ": unknown field '" + f + "'; allowed: " + allowed);
      }
    }
  }

  private static <T> T convert(
      JsonNode node, String field, TypeReference<T> type) {
    if (node == null || node.isNull()) {
      return null;
    }
    try {
      return MAPPER.convertValue(node, type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("field '" + field + "' has the wrong type: " + node);
    }
  }

  private static String text(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' must be a string, got " + n);
    }
    return n.asText();
  }

  private static List<String> fieldsOf(Class<?> cls) {
    if (cls != null && cls.isRecord()) {
      return Arrays.stream(cls.getRecordComponents()).map(r -> r.getName()).toList();
    }
    return List.of();
  }

  /**
   * A record's own validation message, or for a value of the wrong JSON type the field, the value and the type
   * expected (Jackson's text names Java classes and its coercion settings).
   */
  private static String describe(JsonProcessingException e, JsonNode node) {
    Throwable cause = rootCause(e);
    if (cause instanceof IllegalArgumentException) {
      return cause.getMessage();
    }
    if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
      StringBuilder field = new StringBuilder();
      JsonNode value = node;
      for (JsonMappingException.Reference r : m.getPath()) {
        if (r.getFieldName() != null) {
          field.append(field.length() == 0 ? "" : ".").append(r.getFieldName());
          value = value == null ? null : value.get(r.getFieldName());
        } else {
          field.append('[').append(r.getIndex()).append(']');
          value = value == null ? null : value.get(r.getIndex());
        }
      }
      return "field '" + field + "' must be " + expected(m.getTargetType())
          + (value == null ? "" : ", got " + value);
    }
    return e.getOriginalMessage();
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type.isArray() || List.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "a " + type.getSimpleName();
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }
}
