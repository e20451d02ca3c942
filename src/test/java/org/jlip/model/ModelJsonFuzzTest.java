package org.jlip.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jlip.train.Device;
import org.jlip.train.TrainOptions;
import org.jlip.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model description is user input: seeded random edits of the examples (a field removed, a value of another type
 * or out of range) must each give a model whose training graph builds, or an IllegalArgumentException (what the
 * CLI reports as bad usage, exit 2), never another exception.
 */
class ModelJsonFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> EXAMPLES = List.of("fmnist-hkr.json", "binary-dense-hkr.json",
      "plain-convnet.json", "fmnist-baseline.json");

  @Test
  void editedExamplesBuildOrFailWithIllegalArgument(@TempDir Path tmp) throws IOException {
    Random r = new Random(Long.getLong("fuzz.seed", 31));
    List<String> wrong = new ArrayList<>();
    int built = 0;
    int refused = 0;
    for (String example : EXAMPLES) {
      for (int i = 0; i < Integer.getInteger("fuzz.edits", 25); i++) {
        JsonNode root = JSON.readTree(Path.of("examples", example).toFile());
        String edit = mutate(root, r);
        Path file = Files.write(tmp.resolve(i + "_" + example), JSON.writeValueAsBytes(root));
        try {
          ModelSpec spec = ModelJson.read(file);
          TrainOptions opts = new TrainOptions(spec.training(), 1, null, false, 1, 1, Device.CPU, null);
          try (Trainer t = new Trainer(spec, opts)) {
            built++;
          }
        } catch (IllegalArgumentException e) {
          refused++;
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
          wrong.add(example + " with " + edit + ": " + e);
        }
      }
    }
    System.out.printf("edited model files: %d built, %d refused, %d otherwise%n", built, refused, wrong.size());
    assertTrue(refused > 0, "no edit was refused: the test would not see a wrong error");
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  private static String mutate(JsonNode root, Random r) {
    List<ObjectNode> objects = new ArrayList<>();
    collect(root, objects);
    ObjectNode o = objects.get(r.nextInt(objects.size()));
    List<String> names = new ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    String name = names.get(r.nextInt(names.size()));
    JsonNodeFactory f = JsonNodeFactory.instance;
    JsonNode v = switch (r.nextInt(6)) {
      case 0 -> null;
      case 1 -> f.textNode("x");
      case 2 -> f.numberNode(0);
      case 3 -> f.numberNode(-3);
      case 4 -> f.numberNode(1e12);
      default -> f.arrayNode().add(0).add(-1);
    };
    if (v == null) {
      o.remove(name);
      return "'" + name + "' removed";
    }
    o.set(name, v);
    return "'" + name + "' = " + v;
  }

  private static void collect(JsonNode n, List<ObjectNode> out) {
    if (n instanceof ObjectNode o && o.size() > 0) {
      out.add(o);
    }
    if (n instanceof ArrayNode || n instanceof ObjectNode) {
      n.forEach(c -> collect(c, out));
    }
  }
}
