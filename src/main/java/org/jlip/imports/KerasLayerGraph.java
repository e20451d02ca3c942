package org.jlip.imports;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The layers of a Keras {@code config.json} model in the order data flows through them. A Sequential is its list.
 * A Functional model has one input and one output; its graph must be a chain in which merge layers (Add,
 * Subtract, Average, Concatenate) join branches that start at one layer (the fork) and meet only at the merge,
 * possibly nested: a residual block is a merge whose branches are the shortcut and the block. Nested Sequential and
 * Functional models are read as their layers. A layer called more than once (a shared activation, pooling or
 * Dense) is read once per call, each call a step with the layer's weights. Outputs that feed two branches outside
 * one merge, and calls off the path to the output, are refused with the layer's name.
 */
final class KerasLayerGraph {
  /** A layer of the model in application order, with its group in model.weights.h5 (under "layers/"). */
  sealed interface Item permits Leaf, Merge {
    JsonNode layer();

    String group();
  }

  record Leaf(JsonNode layer, String group) implements Item {}

  /** A merge layer and its branches, each the items from the fork's output to one merge input (may be empty). */
  record Merge(JsonNode layer, String group, List<List<Item>> branches) implements Item {}

  static final Set<String> MERGES = Set.of("Add", "Subtract", "Average", "Concatenate", "Maximum", "Minimum");
  private static final Set<String> NESTED = Set.of("Sequential", "Functional", "Model");

  private KerasLayerGraph() {}

  /**
   * The items of {@code root}, nested models replaced by their items. Keras 3 names each weight group after the
   * layer's class in snake case, numbered per class at each level ("dense", "dense_1") in the order the model lists
   * its layers, and a nested model's groups sit under its own ("sequential/layers/conv2d"). A nested model's
   * InputLayer is dropped.
   */
  static List<Item> flatten(Path file, JsonNode root) throws UnsupportedModelException {
    return flatten(file, root, "", false);
  }

  /**
   * {@link #flatten(Path, JsonNode)} with the groups of a legacy {@code .h5} file: each layer's name, under its
   * nested model's ("backbone/dense"), as {@link LegacyH5Layout} reads them.
   */
  static List<Item> flattenByName(Path file, JsonNode root) throws UnsupportedModelException {
    return flatten(file, root, "", true);
  }

  /** The layer nodes of {@code items}, branches included, in application order. */
  static List<JsonNode> leaves(List<Item> items) {
    List<JsonNode> out = new ArrayList<>();
    for (Item it : items) {
      if (it instanceof Merge m) {
        m.branches().forEach(b -> out.addAll(leaves(b)));
      }
      out.add(it.layer());
    }
    return out;
  }

  private static List<Item> flatten(Path file, JsonNode model, String prefix, boolean byName)
      throws UnsupportedModelException {
    List<JsonNode> layers = new ArrayList<>();
    model.path("config").path("layers").forEach(layers::add);
    Map<JsonNode, String> groups = new HashMap<>();
    Map<String, Integer> counters = new HashMap<>();
    for (JsonNode layer : layers) {
      if (byName) {
        groups.put(layer, prefix + layerName(file, layer));
        continue;
      }
      String snake = snakeCase(layer.path("class_name").asText());
      int k = counters.merge(snake, 1, Integer::sum) - 1;
      groups.put(layer, prefix + (k == 0 ? snake : snake + "_" + k));
    }
    String cls = model.path("class_name").asText();
    List<Item> items = switch (cls) {
      case "Sequential" -> {
        List<Item> list = new ArrayList<>();
        for (JsonNode l : layers) {
          list.add(new Leaf(l, groups.get(l)));
        }
        yield list;
      }
      case "Functional", "Model" -> new Graph(file, model.path("config"), layers, groups).items();
      default -> throw new UnsupportedModelException(file + ": model class '" + cls
          + "'; supported: Sequential and Functional models whose layers form a chain (with merges)");
    };
    return expandNested(file, items, !prefix.isEmpty(), byName);
  }

  /** A layer's name, which a legacy file uses as an HDF5 path component: it must be one. */
  private static String layerName(Path file, JsonNode layer) throws UnsupportedModelException {
    String name = layer.path("config").path("name").asText(layer.path("name").asText(""));
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new UnsupportedModelException(file + ": a " + layer.path("class_name").asText() + " layer has the name '"
          + name + "'; a legacy .h5 file stores weights by layer name, so each must be a plain, non-empty name");
    }
    return name;
  }

  /** {@code items} with nested models replaced by their items; {@code nested}: items of a branch or nested model. */
  private static List<Item> expandNested(Path file, List<Item> items, boolean nested, boolean byName)
      throws UnsupportedModelException {
    List<Item> out = new ArrayList<>();
    for (Item it : items) {
      String cls = it.layer().path("class_name").asText();
      if (it instanceof Merge m) {
        List<List<Item>> branches = new ArrayList<>();
        for (List<Item> b : m.branches()) {
          branches.add(expandNested(file, b, true, byName));
        }
        out.add(new Merge(m.layer(), m.group(), branches));
      } else if (NESTED.contains(cls) && it.layer().path("config").has("layers")) {
        for (Item inner : flatten(file, it.layer(), it.group() + (byName ? "/" : "/layers/"), byName)) {
          boolean input = inner.layer().path("class_name").asText().equals("InputLayer");
          if (!input || (out.isEmpty() && !nested)) {
            out.add(inner);
          }
        }
      } else {
        out.add(it);
      }
    }
    return out;
  }

  /** Keras's to_snake_case of a class name: GlobalAveragePooling2D -> global_average_pooling2d. */
  static String snakeCase(String type) {
    return type.replaceAll("\\W+", "").replaceAll("(.)([A-Z][a-z]+)", "$1_$2")
        .replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  /**
   * One call of a layer: Keras records each as an inbound node, and a tensor as the layer and node that made it.
   * A layer called twice (a shared ReLU or pooling) is two calls on the path, with the same weights.
   */
  private record Call(String layer, int node) {
    @Override
    public String toString() {
      return "'" + layer + "'" + (node == 0 ? "" : " (call " + (node + 1) + ")");
    }
  }

  /** A Functional model's layer calls, read backwards from the output into items. */
  private static final class Graph {
    private final Path file;
    private final Map<String, JsonNode> byName = new LinkedHashMap<>();
    private final Map<Call, List<Call>> sources = new LinkedHashMap<>();
    private final Map<Call, Integer> ancestorCounts = new HashMap<>();
    private final Map<JsonNode, String> groups;
    private final Call input;
    private final Call output;
    private final Set<Call> used = new HashSet<>();
    private final Map<String, Integer> callCounts = new HashMap<>();
    /** Whether inbound tensors are Keras 3's objects (else Keras 2's lists). */
    private boolean keras3;

    Graph(Path file, JsonNode config, List<JsonNode> layers, Map<JsonNode, String> groups)
        throws UnsupportedModelException {
      this.file = file;
      this.groups = groups;
      input = single(file, config.path("input_layers"), "input");
      if (layers.isEmpty() || !name(layers.get(0)).equals(input.layer()) || input.node() != 0) {
        throw new UnsupportedModelException(file + ": the first layer must be the model input " + input);
      }
      Map<Call, List<Call>> written = new LinkedHashMap<>();
      for (JsonNode l : layers) {
        String n = name(l);
        if (byName.put(n, l) != null) {
          throw new UnsupportedModelException(file + ": two layers are named '" + n + "'");
        }
        if (l == layers.get(0)) {
          written.put(input, List.of());
          continue;
        }
        List<List<Call>> calls = inboundCalls(file, l);
        keras3 |= l.path("inbound_nodes").get(0).isObject();
        for (int k = 0; k < calls.size(); k++) {
          written.put(new Call(n, k), calls.get(k));
        }
      }
      for (Call c : written.keySet()) {
        callCounts.merge(c.layer(), 1, Integer::sum);
      }
      for (Map.Entry<Call, List<Call>> e : written.entrySet()) {
        List<Call> read = new ArrayList<>();
        for (Call src : e.getValue()) {
          Call c = called(src, !keras3);
          if (!written.containsKey(c)) {
            throw new UnsupportedModelException(file + ": layer " + e.getKey() + " reads node " + src.node() + " of '"
                + src.layer() + "', which is no call of a layer the model lists");
          }
          read.add(c);
        }
        sources.put(e.getKey(), read);
      }
      output = called(single(file, config.path("output_layers"), "output"), true);
      if (!sources.containsKey(output)) {
        throw new UnsupportedModelException(file + ": the model's output " + output + " is not a layer call it"
            + " lists");
      }
    }

    /**
     * The call a tensor reference names: a layer's only call whatever index the reference gives, else its node
     * index less the nodes the reference counts that inbound_nodes omit ({@code skipsNode}). Keras counts a nested
     * model's construction as its node 0 where it renumbers nodes: in the model's input and output references
     * (Keras 3) and in every reference (Keras 2, whose inbound tensors are lists); Keras 3's inbound tensors keep
     * the layer's own call numbers. Such a model is a Functional one, or in Keras 2 also a Sequential built on an
     * InputLayer.
     */
    private Call called(Call ref, boolean renumbered) {
      JsonNode l = byName.get(ref.layer());
      if (l == null || callCounts.getOrDefault(ref.layer(), 0) <= 1) {
        return new Call(ref.layer(), 0);
      }
      String cls = l.path("class_name").asText();
      JsonNode inner = l.path("config").path("layers");
      boolean skipsNode = renumbered && inner.isArray() && (Set.of("Functional", "Model").contains(cls)
          || (!keras3 && cls.equals("Sequential") && inner.path(0).path("class_name").asText().equals("InputLayer")));
      return new Call(ref.layer(), ref.node() - (skipsNode ? 1 : 0));
    }

    List<Item> items() throws UnsupportedModelException {
      List<Item> items = new ArrayList<>();
      items.add(new Leaf(byName.get(input.layer()), groups.get(byName.get(input.layer()))));
      items.addAll(path(input, output));
      for (Call c : sources.keySet()) {
        if (!c.equals(input) && !used.contains(c)) {
          throw new UnsupportedModelException(file + ": layer " + c + " is off the path from the model input to"
              + " its output " + output + ": jlip imports Functional models whose layers form a chain (with"
              + " merges)");
        }
      }
      return items;
    }

    /** The items from the output of {@code from} (exclusive) to the output of {@code to}. */
    private List<Item> path(Call from, Call to) throws UnsupportedModelException {
      LinkedList<Item> out = new LinkedList<>();
      Call cur = to;
      while (!cur.equals(from)) {
        JsonNode l = byName.get(cur.layer());
        if (cur.equals(input)) {
          throw new UnsupportedModelException(file + ": the branch to " + to + " does not start at " + from
              + "; jlip imports merges whose branches start at one layer and meet only at the merge");
        }
        if (!used.add(cur)) {
          throw new UnsupportedModelException(file + ": the output of layer " + cur + " feeds more than one"
              + " branch; jlip imports merges whose branches meet only at their merge layer");
        }
        List<Call> src = sources.get(cur);
        String cls = l.path("class_name").asText();
        if (src.size() == 1) {
          out.addFirst(new Leaf(l, groups.get(l)));
          cur = src.get(0);
        } else if (MERGES.contains(cls) && src.size() > 1) {
          Call fork = fork(cur, src);
          List<List<Item>> branches = new ArrayList<>();
          for (Call c : src) {
            branches.add(path(fork, c));
          }
          out.addFirst(new Merge(l, groups.get(l), branches));
          cur = fork;
        } else {
          throw new UnsupportedModelException(file + ": layer " + cur + " (" + cls + ") takes " + src.size()
              + " inputs; jlip imports chains where each layer takes one, and merges (" + String.join(", ",
              MERGES.stream().sorted().toList()) + ") of branches from one layer");
        }
      }
      return out;
    }

    /**
     * The latest call that every input of the merge descends from: of the common ancestors, the one with the most
     * ancestors of its own (every other common ancestor on a chain is one of them).
     */
    private Call fork(Call merge, List<Call> inputs) throws UnsupportedModelException {
      Set<Call> common = null;
      for (Call c : inputs) {
        Set<Call> a = ancestors(c);
        if (common == null) {
          common = a;
        } else {
          common.retainAll(a);
        }
      }
      Call best = null;
      int most = -1;
      for (Call c : common) {
        int n = ancestorCounts.computeIfAbsent(c, k -> ancestors(k).size());
        if (n > most) {
          most = n;
          best = c;
        }
      }
      if (best == null) {
        throw new UnsupportedModelException(file + ": the inputs of merge layer " + merge + " share no layer");
      }
      return best;
    }

    /** {@code c} and every call it reads, directly or not (all listed: the constructor checked). */
    private Set<Call> ancestors(Call c) {
      Set<Call> seen = new HashSet<>();
      List<Call> todo = new ArrayList<>(List.of(c));
      while (!todo.isEmpty()) {
        Call n = todo.remove(todo.size() - 1);
        if (seen.add(n)) {
          todo.addAll(sources.get(n));
        }
      }
      return seen;
    }
  }

  private static String name(JsonNode layer) {
    String n = layer.path("name").asText("");
    return n.isEmpty() ? layer.path("config").path("name").asText("") : n;
  }

  /** The one input or output of the model: Keras 3 writes ["name", 0, 0], Keras 2 [["name", 0, 0]]. */
  private static Call single(Path file, JsonNode refs, String what) throws UnsupportedModelException {
    if (refs.isArray() && refs.size() == 1 && refs.get(0).isArray()) {
      refs = refs.get(0);
    }
    if (!refs.isArray() || refs.size() == 0 || !refs.get(0).isTextual() || refs.path(2).asInt(0) != 0) {
      throw new UnsupportedModelException(file + ": the model's " + what + "s are " + refs
          + "; jlip imports models with one input and one output");
    }
    return new Call(refs.get(0).asText(), nodeIndex(file, refs, what));
  }

  /** The node index of a tensor reference [layer, node, tensor]: which call of the layer made it. */
  private static int nodeIndex(Path file, JsonNode ref, String where) throws UnsupportedModelException {
    JsonNode k = ref.path(1);
    if (k.isMissingNode()) {
      return 0;
    }
    if (!k.canConvertToInt() || !k.isIntegralNumber() || k.asInt() < 0) {
      throw new UnsupportedModelException(file + ": " + where + " refers to call " + k + " of layer '"
          + ref.get(0).asText() + "'; expected a node index >= 0");
    }
    return k.asInt();
  }

  /**
   * The calls feeding each call of {@code layer}: Keras 3 writes one {@code {"args": [keras_tensor], "kwargs": {}}}
   * per call (a merge's tensors as one list argument) with the source in {@code keras_history}; Keras 2 writes
   * {@code [["source", 0, 0, {}], ...]} per call.
   */
  private static List<List<Call>> inboundCalls(Path file, JsonNode layer) throws UnsupportedModelException {
    String name = name(layer);
    JsonNode nodes = layer.path("inbound_nodes");
    if (!nodes.isArray() || nodes.isEmpty()) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' is never called (no inbound_nodes);"
          + " jlip imports the layers on the path from the model's input to its output");
    }
    List<List<Call>> calls = new ArrayList<>();
    for (JsonNode node : nodes) {
      JsonNode tensors = node.isObject() ? node.path("args") : node;
      if (tensors.size() == 1 && tensors.get(0).isArray() && tensors.get(0).size() > 0
          && tensors.get(0).get(0).isObject()) {
        tensors = tensors.get(0);
      }
      List<Call> out = new ArrayList<>();
      for (JsonNode t : tensors) {
        JsonNode ref = t.isObject() ? t.path("config").path("keras_history") : t;
        if (!ref.isArray() || ref.size() == 0 || !ref.get(0).isTextual() || ref.path(2).asInt(0) != 0) {
          throw new UnsupportedModelException(file + ": layer '" + name + "' has an input jlip cannot trace: " + t);
        }
        out.add(new Call(ref.get(0).asText(), nodeIndex(file, ref, "layer '" + name + "'")));
      }
      if (out.isEmpty()) {
        throw new UnsupportedModelException(file + ": layer '" + name + "' has a call without input");
      }
      calls.add(out);
    }
    return calls;
  }
}
