package org.jlip.imports;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The layers of a Keras {@code config.json} model in the order data flows through them. A Sequential is its list;
 * a Functional model is accepted when its graph is a chain: one input, one output, and every layer called once
 * on the output of the layer listed before it. Nested models that are chains are flattened into it. Branches
 * (residual adds, concatenations), shared layers and layers off the path to the output are refused with the
 * layer's name, since jlip's models and certificates are built for chains.
 */
final class KerasLayerChain {
  private KerasLayerChain() {}

  /** A layer of the flattened chain and its group in model.weights.h5 (under "layers/"). */
  record Entry(JsonNode layer, String group) {}

  /**
   * The chain of {@code root} with nested Sequential and Functional models (themselves chains) replaced by their
   * layers, as Keras applies them: a backbone model called as one layer is common. Keras 3 names each weight group
   * after the layer's class in snake case, numbered per class at each level ("dense", "dense_1"), and a nested
   * model's groups sit under its own ("sequential/layers/conv2d"). A nested model's InputLayer is dropped.
   */
  static List<Entry> flatten(Path file, JsonNode root) throws UnsupportedModelException {
    List<Entry> out = new ArrayList<>();
    flatten(file, root, "", out);
    return out;
  }

  private static void flatten(Path file, JsonNode model, String prefix, List<Entry> out)
      throws UnsupportedModelException {
    Map<String, Integer> counters = new HashMap<>();
    for (JsonNode layer : of(file, model)) {
      String cls = layer.path("class_name").asText();
      String snake = snakeCase(cls);
      int k = counters.merge(snake, 1, Integer::sum) - 1;
      String group = prefix + (k == 0 ? snake : snake + "_" + k);
      if (NESTED.contains(cls) && layer.path("config").has("layers")) {
        flatten(file, layer, group + "/layers/", out);
      } else if (!(cls.equals("InputLayer") && !prefix.isEmpty() && !out.isEmpty())) {
        out.add(new Entry(layer, group));
      }
    }
  }

  private static final Set<String> NESTED = Set.of("Sequential", "Functional", "Model");

  /** Keras's to_snake_case of a class name: GlobalAveragePooling2D -> global_average_pooling2d. */
  static String snakeCase(String type) {
    return type.replaceAll("\\W+", "").replaceAll("(.)([A-Z][a-z]+)", "$1_$2")
        .replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  /** The layer entries (InputLayer first where the file has one) of the model {@code root}. */
  static List<JsonNode> of(Path file, JsonNode root) throws UnsupportedModelException {
    String cls = root.path("class_name").asText();
    JsonNode config = root.path("config");
    List<JsonNode> layers = new ArrayList<>();
    config.path("layers").forEach(layers::add);
    return switch (cls) {
      case "Sequential" -> layers;
      case "Functional", "Model" -> chain(file, config, layers);
      default -> throw new UnsupportedModelException(file + ": model class '" + cls
          + "'; supported: Sequential and Functional models whose layers form a chain");
    };
  }

  private static List<JsonNode> chain(Path file, JsonNode config, List<JsonNode> layers)
      throws UnsupportedModelException {
    String input = single(file, config.path("input_layers"), "input");
    String output = single(file, config.path("output_layers"), "output");
    if (layers.isEmpty() || !name(layers.get(0)).equals(input)) {
      throw new UnsupportedModelException(file + ": the first layer must be the model input '" + input + "'");
    }
    String previous = input;
    for (JsonNode layer : layers.subList(1, layers.size())) {
      String name = name(layer);
      String source = inboundLayer(file, layer);
      if (!source.equals(previous)) {
        throw new UnsupportedModelException(file + ": layer '" + name + "' (" + layer.path("class_name").asText()
            + ") takes its input from '" + source + "', not from the layer before it ('" + previous
            + "'): jlip imports Functional models whose layers form a chain");
      }
      previous = name;
    }
    if (!previous.equals(output)) {
      throw new UnsupportedModelException(file + ": the model output is '" + output + "' but the chain ends at '"
          + previous + "': jlip imports Functional models whose layers form a chain");
    }
    return layers;
  }

  private static String name(JsonNode layer) {
    String n = layer.path("name").asText("");
    return n.isEmpty() ? layer.path("config").path("name").asText("") : n;
  }

  /** The one input or output of the model: Keras 3 writes ["name", 0, 0], Keras 2 [["name", 0, 0]]. */
  private static String single(Path file, JsonNode refs, String what) throws UnsupportedModelException {
    if (refs.isArray() && refs.size() == 1 && refs.get(0).isArray()) {
      refs = refs.get(0);
    }
    if (!refs.isArray() || refs.size() == 0 || !refs.get(0).isTextual()) {
      throw new UnsupportedModelException(file + ": the model's " + what + "s are " + refs
          + "; jlip imports models with one input and one output");
    }
    return refs.get(0).asText();
  }

  /**
   * The layer feeding {@code layer}: Keras 3 writes {@code [{"args": [keras_tensor], "kwargs": {}}]} with the
   * source in {@code keras_history}; Keras 2 writes {@code [[["source", 0, 0, {}]]]}.
   */
  private static String inboundLayer(Path file, JsonNode layer) throws UnsupportedModelException {
    String name = name(layer);
    JsonNode nodes = layer.path("inbound_nodes");
    if (!nodes.isArray() || nodes.size() != 1) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' is called " + nodes.size()
          + " times; jlip imports chains where each layer is called once");
    }
    JsonNode node = nodes.get(0);
    JsonNode tensors = node.isObject() ? node.path("args") : node;
    if (tensors.size() == 1 && tensors.get(0).isArray() && tensors.get(0).size() > 0
        && tensors.get(0).get(0).isObject()) {
      tensors = tensors.get(0); // a list of tensors passed as one argument, e.g. Add()([a, b])
    }
    if (tensors.size() != 1) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' takes " + tensors.size()
          + " inputs; jlip imports chains where each layer takes one");
    }
    JsonNode t = tensors.get(0);
    if (t.isObject()) {
      JsonNode history = t.path("config").path("keras_history");
      if (!history.isArray() || history.size() == 0) {
        throw new UnsupportedModelException(file + ": layer '" + name + "' has an input jlip cannot trace: " + t);
      }
      return history.get(0).asText();
    }
    return t.get(0).asText();
  }
}
