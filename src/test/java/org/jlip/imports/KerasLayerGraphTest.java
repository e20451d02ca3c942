package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which layer graphs count as chains, in Keras 3's and Keras 2's inbound-node formats. */
class KerasLayerGraphTest {
  private static final Path FILE = Path.of("model.keras");

  private static JsonNode model(String layers, String in, String out) throws Exception {
    return new ObjectMapper().readTree(("{'class_name': 'Functional', 'config': {'layers': [" + layers
        + "], 'input_layers': " + in + ", 'output_layers': " + out + "}}").replace('\'', '"'));
  }

  private static String k3(String name, String from) {
    String inbound = from == null ? "[]" : "[{'args': [{'class_name': '__keras_tensor__', 'config': "
        + "{'keras_history': ['" + from + "', 0, 0]}}], 'kwargs': {}}]";
    return "{'class_name': 'Dense', 'name': '" + name + "', 'config': {'name': '" + name + "'}, 'inbound_nodes': "
        + inbound + "}";
  }

  @Test
  void keras3AndKeras2ChainsAreReadInOrder() throws Exception {
    var k3 = KerasLayerGraph.flatten(FILE, model(k3("in", null) + "," + k3("a", "in") + "," + k3("b", "a"),
        "['in', 0, 0]", "['b', 0, 0]"));
    assertEquals(3, k3.size());
    String k2 = "{'class_name': 'InputLayer', 'config': {'name': 'in'}, 'inbound_nodes': []},"
        + "{'class_name': 'Dense', 'config': {'name': 'a'}, 'inbound_nodes': [[['in', 0, 0, {}]]]}";
    assertEquals(2, KerasLayerGraph.flatten(FILE, model(k2, "[['in', 0, 0]]", "[['a', 0, 0]]")).size());
  }

  @Test
  void nonChainsAreRefusedWithTheLayerName() throws Exception {
    String[][] cases = {
        // a layer fed by an earlier layer than the one before it, leaving 'a' off the path
        {k3("in", null) + "," + k3("a", "in") + "," + k3("b", "in"), "['in', 0, 0]", "['b', 0, 0]", "'a' is off"},
        // a layer inside one branch of a merge read again after it
        {k3("in", null) + "," + k3("a", "in") + "," + k3("b", "a") + "," + k3("c", "a") + "," + merge("m", "b", "c")
            + "," + merge("d", "m", "b"), "['in', 0, 0]", "['d', 0, 0]", "the branch to 'm' does not start at 'b'"},
        // two merges sharing a branch layer
        {k3("in", null) + "," + k3("a", "in") + "," + k3("b", "a") + "," + merge("m", "a", "b") + "," + merge("n",
            "m", "b"), "['in', 0, 0]", "['n', 0, 0]", "the branch to 'm' does not start at 'b'"},
        // a layer with two inputs that is no merge
        {k3("in", null) + "," + k3("a", "in") + ",{'class_name': 'Dot', 'name': 'm', 'inbound_nodes': [[['in', 0, 0,"
            + " {}], ['a', 0, 0, {}]]]}", "['in', 0, 0]", "['m', 0, 0]", "'m' (Dot) takes 2 inputs"},
        // the output is not the end of the chain
        {k3("in", null) + "," + k3("a", "in") + "," + k3("b", "a"), "['in', 0, 0]", "['a', 0, 0]", "'a'"},
        // two inputs
        {k3("in", null) + "," + k3("a", "in"), "[['in', 0, 0], ['x', 0, 0]]", "['a', 0, 0]", "inputs"},
        // a shared layer whose second call is off the path
        {k3("in", null) + ",{'class_name': 'Dense', 'name': 'a', 'inbound_nodes': [[['in', 0, 0, {}]],"
            + " [['in', 0, 0, {}]]]}", "['in', 0, 0]", "['a', 0, 0]", "'a' (call 2) is off"},
        // a call of a layer that the layer does not have (a layer called once is read whatever index names it)
        {k3("in", null) + ",{'class_name': 'Dense', 'name': 'a', 'inbound_nodes': [[['in', 0, 0, {}]],"
            + " [['a', 0, 0, {}]]]},{'class_name': 'Dense', 'name': 'b', 'inbound_nodes': [[['a', 2, 0, {}]]]}",
            "['in', 0, 0]", "['b', 0, 0]", "reads node 2 of 'a', which is no call"},
        // a layer never called
        {k3("in", null) + ",{'class_name': 'Dense', 'name': 'a', 'inbound_nodes': []}", "['in', 0, 0]",
            "['a', 0, 0]", "'a' is never called"}};
    for (String[] c : cases) {
      var e = assertThrows(UnsupportedModelException.class, () -> KerasLayerGraph.flatten(FILE, model(c[0], c[1], c[2])));
      assertTrue(e.getMessage().contains(c[3]) && e.getMessage().contains("model.keras"), e.getMessage());
    }
  }

  /** A layer called twice in a row (its second call reads its first) is two items with one weight group. */
  @Test
  void aSharedLayerIsAnItemPerCall() throws Exception {
    String k2 = "{'class_name': 'InputLayer', 'config': {'name': 'in'}, 'inbound_nodes': []},"
        + "{'class_name': 'Dense', 'config': {'name': 'a'}, 'inbound_nodes': [[['in', 0, 0, {}]], [['a', 0, 0, {}]]]},"
        + "{'class_name': 'Dense', 'config': {'name': 'b'}, 'inbound_nodes': [[['a', 1, 0, {}]]]}";
    var items = KerasLayerGraph.flatten(FILE, model(k2, "[['in', 0, 0]]", "[['b', 0, 0]]"));
    assertEquals(java.util.List.of("in", "a", "a", "b"), items.stream().map(i -> i.layer().path("config")
        .path("name").asText()).toList());
    assertEquals(items.get(1).group(), items.get(2).group());
  }

  @Test
  void nestedModelsAreFlattenedWithTheirWeightGroups() throws Exception {
    // Keras 3 numbers groups per class at each level: the nested Sequential's Dense is "dense" again inside it.
    var nested = KerasLayerGraph.flatten(FILE, new ObjectMapper().readTree(("{'class_name': 'Sequential', 'config':"
        + " {'layers': [{'class_name': 'InputLayer', 'config': {'name': 'in'}}, {'class_name': 'Dense', 'config':"
        + " {'name': 'a'}}, {'class_name': 'Sequential', 'config': {'name': 'inner', 'layers': [{'class_name':"
        + " 'InputLayer', 'config': {'name': 'in2'}}, {'class_name': 'Dense', 'config': {'name': 'b'}},"
        + " {'class_name': 'Dense', 'config': {'name': 'c'}}]}}, {'class_name': 'Dense', 'config': {'name': 'd'}}]}}")
        .replace('\'', '"')));
    assertEquals(java.util.List.of("input_layer", "dense", "sequential/layers/dense", "sequential/layers/dense_1",
        "dense_1"), nested.stream().map(KerasLayerGraph.Item::group).toList());
    assertEquals("d", nested.get(4).layer().path("config").path("name").asText());
    assertEquals("spectral_conv2d", KerasLayerGraph.snakeCase("SpectralConv2D"));
    assertEquals("global_average_pooling2d", KerasLayerGraph.snakeCase("GlobalAveragePooling2D"));
  }

  private static String merge(String name, String a, String b) {
    return "{'class_name': 'Add', 'name': '" + name + "', 'config': {'name': '" + name + "'}, 'inbound_nodes': [{'args':"
        + " [[{'class_name': '__keras_tensor__', 'config': {'keras_history': ['" + a + "', 0, 0]}}, {'class_name':"
        + " '__keras_tensor__', 'config': {'keras_history': ['" + b + "', 0, 0]}}]], 'kwargs': {}}]}";
  }

  @Test
  void residualBlocksAndNestedMergesBecomeMergeItems() throws Exception {
    // in -> a -> [b -> c] + a -> d, and inside d's input a second merge of two non-empty branches of a's sibling.
    var items = KerasLayerGraph.flatten(FILE, model(k3("in", null) + "," + k3("a", "in") + "," + k3("b", "a") + ","
        + k3("c", "b") + "," + merge("m", "a", "c") + "," + k3("p", "m") + "," + k3("q", "m") + "," + k3("r", "q")
        + "," + merge("n", "p", "r") + "," + k3("d", "n"), "['in', 0, 0]", "['d', 0, 0]"));
    assertEquals(java.util.List.of("in", "a", "m", "n", "d"), items.stream().map(i -> i.layer().path("config")
        .path("name").asText()).toList());
    var m = (KerasLayerGraph.Merge) items.get(2);
    assertEquals(0, m.branches().get(0).size());
    assertEquals(java.util.List.of("b", "c"), m.branches().get(1).stream().map(i -> i.layer().path("config")
        .path("name").asText()).toList());
    var n = (KerasLayerGraph.Merge) items.get(3);
    assertEquals(1, n.branches().get(0).size());
    assertEquals(2, n.branches().get(1).size());
    assertEquals(java.util.List.of("dense", "dense_1", "add", "add_1", "dense_7"), items.stream()
        .map(KerasLayerGraph.Item::group).toList());
  }

  @Test
  void aNestedFunctionalBlockKeepsItsMergeAndItsGroups() throws Exception {
    // Sequential [in, block, head], block = Functional in2 -> a -> Add(in2, a): the merge's branches read the
    // block's weight groups under its own.
    String block = "{'class_name': 'Functional', 'config': {'name': 'block', 'layers': [{'class_name': 'InputLayer',"
        + " 'name': 'in2', 'config': {'name': 'in2'}, 'inbound_nodes': []}," + k3("a", "in2") + ","
        + merge("m", "in2", "a") + "], 'input_layers': ['in2', 0, 0], 'output_layers': ['m', 0, 0]}}";
    var items = KerasLayerGraph.flatten(FILE, new ObjectMapper().readTree(("{'class_name': 'Sequential', 'config':"
        + " {'layers': [{'class_name': 'InputLayer', 'config': {'name': 'in'}}, " + block + ", {'class_name':"
        + " 'Dense', 'config': {'name': 'head'}}]}}").replace('\'', '"')));
    assertEquals(java.util.List.of("input_layer", "functional/layers/add", "dense"), items.stream()
        .map(KerasLayerGraph.Item::group).toList());
    var m = (KerasLayerGraph.Merge) items.get(1);
    assertEquals(java.util.List.of(0, 1), m.branches().stream().map(java.util.List::size).toList());
    assertEquals("functional/layers/dense", m.branches().get(1).get(0).group());
  }

  @Test
  void otherModelClassesAreRefused() throws Exception {
    var e = assertThrows(UnsupportedModelException.class,
        () -> KerasLayerGraph.flatten(FILE, new ObjectMapper().readTree("{\"class_name\": \"MyModel\"}")));
    assertTrue(e.getMessage().contains("MyModel"), e.getMessage());
  }
}
