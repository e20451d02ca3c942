package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which layer graphs count as chains, in Keras 3's and Keras 2's inbound-node formats. */
class KerasLayerChainTest {
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
    var k3 = KerasLayerChain.of(FILE, model(k3("in", null) + "," + k3("a", "in") + "," + k3("b", "a"),
        "['in', 0, 0]", "['b', 0, 0]"));
    assertEquals(3, k3.size());
    String k2 = "{'class_name': 'InputLayer', 'config': {'name': 'in'}, 'inbound_nodes': []},"
        + "{'class_name': 'Dense', 'config': {'name': 'a'}, 'inbound_nodes': [[['in', 0, 0, {}]]]}";
    assertEquals(2, KerasLayerChain.of(FILE, model(k2, "[['in', 0, 0]]", "[['a', 0, 0]]")).size());
  }

  @Test
  void nonChainsAreRefusedWithTheLayerName() throws Exception {
    String[][] cases = {
        // a layer fed by an earlier layer than the one before it: a branch
        {k3("in", null) + "," + k3("a", "in") + "," + k3("b", "in"), "['in', 0, 0]", "['b', 0, 0]", "'b'"},
        // the output is not the end of the chain
        {k3("in", null) + "," + k3("a", "in") + "," + k3("b", "a"), "['in', 0, 0]", "['a', 0, 0]", "'a'"},
        // two inputs
        {k3("in", null) + "," + k3("a", "in"), "[['in', 0, 0], ['x', 0, 0]]", "['a', 0, 0]", "inputs"},
        // a shared layer (called twice)
        {k3("in", null) + ",{'class_name': 'Dense', 'name': 'a', 'inbound_nodes': [[['in', 0, 0, {}]],"
            + " [['in', 0, 0, {}]]]}", "['in', 0, 0]", "['a', 0, 0]", "called 2 times"}};
    for (String[] c : cases) {
      var e = assertThrows(UnsupportedModelException.class, () -> KerasLayerChain.of(FILE, model(c[0], c[1], c[2])));
      assertTrue(e.getMessage().contains(c[3]) && e.getMessage().contains("model.keras"), e.getMessage());
    }
  }

  @Test
  void nestedModelsAreFlattenedWithTheirWeightGroups() throws Exception {
    // Keras 3 numbers groups per class at each level: the nested Sequential's Dense is "dense" again inside it.
    var nested = KerasLayerChain.flatten(FILE, new ObjectMapper().readTree(("{'class_name': 'Sequential', 'config':"
        + " {'layers': [{'class_name': 'InputLayer', 'config': {'name': 'in'}}, {'class_name': 'Dense', 'config':"
        + " {'name': 'a'}}, {'class_name': 'Sequential', 'config': {'name': 'inner', 'layers': [{'class_name':"
        + " 'InputLayer', 'config': {'name': 'in2'}}, {'class_name': 'Dense', 'config': {'name': 'b'}},"
        + " {'class_name': 'Dense', 'config': {'name': 'c'}}]}}, {'class_name': 'Dense', 'config': {'name': 'd'}}]}}")
        .replace('\'', '"')));
    assertEquals(java.util.List.of("input_layer", "dense", "sequential/layers/dense", "sequential/layers/dense_1",
        "dense_1"), nested.stream().map(KerasLayerChain.Entry::group).toList());
    assertEquals("d", nested.get(4).layer().path("config").path("name").asText());
    assertEquals("spectral_conv2d", KerasLayerChain.snakeCase("SpectralConv2D"));
    assertEquals("global_average_pooling2d", KerasLayerChain.snakeCase("GlobalAveragePooling2D"));
  }

  @Test
  void otherModelClassesAreRefused() throws Exception {
    var e = assertThrows(UnsupportedModelException.class,
        () -> KerasLayerChain.of(FILE, new ObjectMapper().readTree("{\"class_name\": \"MyModel\"}")));
    assertTrue(e.getMessage().contains("MyModel"), e.getMessage());
  }
}
