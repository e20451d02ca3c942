package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A .keras file from elsewhere is untrusted input: seeded random edits of real fixtures' config.json (a field
 * removed, a value of another type or out of range, a list shortened) and of their weights (truncated, a byte
 * overwritten) must each load as a model or fail with one of the importer's documented errors naming the file,
 * never with another exception.
 */
class KerasFileFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path KERAS = Path.of("src", "test", "resources", "keras");
  private static final Path DEEL = Path.of("src", "test", "resources", "deel-lip");
  private static final List<Path> SOURCES = List.of(KERAS.resolve("merges.keras"),
      KERAS.resolve("inference_layers_channels_first.keras"), KERAS.resolve("nested_models.keras"),
      KERAS.resolve("plain_cnn_bn_channels_first.keras"), KERAS.resolve("gated_activations.keras"),
      KERAS.resolve("dense_on_sequence.keras"), KERAS.resolve("depthwise_channels_last.keras"),
      DEEL.resolve("demo_channels_last.keras"), DEEL.resolve("hidden_frobenius.keras"),
      KERAS.resolve("resize/resize_cnn.keras"), KERAS.resolve("transpose/transpose_channels_last.keras"),
      KERAS.resolve("transpose/spectral_transpose.keras"));
  private static final int EDITS_PER_FILE = Integer.getInteger("fuzz.edits", 40);

  @Test
  void editedConfigsLoadOrFailWithADocumentedError(@TempDir Path tmp) throws IOException {
    FuzzOutcome.Tally tally = new FuzzOutcome.Tally();
    Random r = new Random(Long.getLong("fuzz.seed", 2026));
    for (Path source : SOURCES) {
      Map<String, byte[]> entries = KerasZip.read(source);
      for (int i = 0; i < EDITS_PER_FILE; i++) {
        JsonNode config = JSON.readTree(entries.get("config.json"));
        String edit = mutate(config, r);
        Path file = tmp.resolve(source.getFileName().toString().replace(".keras", "_" + i + ".keras"));
        Fixtures.writeKeras(file, JSON.writeValueAsBytes(config), entries.get("model.weights.h5"));
        tally.load(file, source.getFileName() + " with " + edit);
      }
    }
    tally.check("configs");
  }

  @Test
  void truncatedOrOverwrittenWeightsFailWithADocumentedError(@TempDir Path tmp) throws IOException {
    List<String> wrong = new ArrayList<>();
    Random r = new Random(7);
    for (Path source : SOURCES) {
      Map<String, byte[]> entries = KerasZip.read(source);
      byte[] h5 = entries.get("model.weights.h5");
      for (int i = 0; i < 8; i++) {
        int keep = r.nextInt(h5.length);
        Path file = tmp.resolve(source.getFileName().toString().replace(".keras", "_cut" + i + ".keras"));
        Fixtures.writeKeras(file, entries.get("config.json"), Arrays.copyOf(h5, keep));
        // A cut that only drops the file's unused tail leaves every weight readable.
        String outcome = FuzzOutcome.of(file);
        if (outcome != null && !outcome.startsWith("ok:")) {
          wrong.add(source.getFileName() + " cut to " + keep + " of " + h5.length + " bytes: " + outcome);
        }
      }
      // Overwritten bytes may leave a readable file (a changed weight) but never an undocumented error.
      for (int i = 0; i < Integer.getInteger("fuzz.h5edits", 16); i++) {
        byte[] b = h5.clone();
        int at = r.nextInt(b.length);
        b[at] = (byte) r.nextInt(256);
        Path file = tmp.resolve(source.getFileName().toString().replace(".keras", "_byte" + i + ".keras"));
        Fixtures.writeKeras(file, entries.get("config.json"), b);
        String outcome = FuzzOutcome.of(file);
        if (outcome != null && !outcome.startsWith("ok:")) {
          wrong.add(source.getFileName() + " with weights byte " + at + " = " + b[at] + ": " + outcome);
        }
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  /**
   * Legacy .h5 model files (make_h5_fixtures.py) cut short or with a byte overwritten, half of them in the first
   * 4 kB where HDF5 keeps its superblock, object headers and the model_config attribute.
   */
  @Test
  void legacyH5FilesCutOrOverwrittenFailWithADocumentedError(@TempDir Path tmp) throws IOException {
    List<String> wrong = new ArrayList<>();
    Random r = new Random(Long.getLong("fuzz.seed", 2026) + 1);
    int refused = 0;
    for (String name : new String[] {"keras2_deel_lip.h5", "nested_models.h5", "merges.h5", "keras2_cnn.h5"}) {
      byte[] h5 = Files.readAllBytes(KERAS.resolve("h5").resolve(name));
      int edits = Integer.getInteger("fuzz.h5edits", 16);
      for (int i = 0; i < 8 + edits; i++) {
        byte[] b;
        String edit;
        if (i < 8) {
          b = Arrays.copyOf(h5, r.nextInt(h5.length));
          edit = "cut to " + b.length + " of " + h5.length + " bytes";
        } else {
          b = h5.clone();
          int at = r.nextInt(r.nextBoolean() ? Math.min(4096, b.length) : b.length);
          b[at] = (byte) r.nextInt(256);
          edit = "byte " + at + " = " + b[at];
        }
        Path file = tmp.resolve(name.replace(".h5", "_" + i + ".h5"));
        Files.write(file, b);
        String outcome = FuzzOutcome.of(file);
        if (outcome != null && outcome.startsWith("ok:")) {
          refused++;
        } else if (outcome != null) {
          wrong.add(name + " " + edit + ": " + outcome);
        }
      }
    }
    assertTrue(refused > 0, "no edit made a file invalid: the test would not see a wrong error");
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  /** 20 kB on disk, 2 GiB once read (make_keras_fixtures.py: hostile_huge_weight): refused from its declared size. */
  @Test
  void aWeightDeclaringMoreElementsThanAnyFileHoldsIsRefusedUnread() {
    var e = assertThrows(MalformedModelException.class,
        () -> ModelLoader.load(KERAS.resolve("hostile_huge_weight.keras")));
    assertTrue(e.getMessage().contains("weight layers/dense/vars/0 declares 536870912 elements, over jlip's limit"),
        e.getMessage());
  }

  /** null: loaded and ran; "ok: message": a documented error naming the file; otherwise what went wrong. */
  private static String mutate(JsonNode root, Random r) {
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers);
    JsonNode target = containers.get(r.nextInt(containers.size()));
    if (target instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      String name = names.get(r.nextInt(names.size()));
      int kind = r.nextInt(3);
      if (kind == 0) {
        o.remove(name);
        return "field '" + name + "' removed";
      }
      JsonNode v = kind == 1 ? otherType(o.get(name), r) : outOfRange(o.get(name), r);
      o.set(name, v);
      return "field '" + name + "' = " + v;
    }
    ArrayNode a = (ArrayNode) target;
    if (a.size() > 0 && r.nextBoolean()) {
      a.remove(r.nextInt(a.size()));
      return "an element of a list of " + (a.size() + 1) + " removed";
    }
    int i = a.size() == 0 ? 0 : r.nextInt(a.size());
    JsonNode v = a.size() == 0 ? JsonNodeFactory.instance.numberNode(-1) : otherType(a.get(i), r);
    if (a.size() == 0) {
      a.add(v);
    } else {
      a.set(i, v);
    }
    return "list element " + i + " = " + v;
  }

  private static void collect(JsonNode n, List<JsonNode> out) {
    if ((n.isObject() && n.size() > 0) || n.isArray()) {
      out.add(n);
    }
    n.forEach(c -> collect(c, out));
  }

  private static JsonNode otherType(JsonNode v, Random r) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (r.nextInt(4)) {
      case 0 -> v.isTextual() ? f.numberNode(3) : f.textNode("x");
      case 1 -> f.nullNode();
      case 2 -> v.isArray() ? f.objectNode() : f.arrayNode().add(2);
      default -> v.isBoolean() ? f.numberNode(0) : f.booleanNode(true);
    };
  }

  private static JsonNode outOfRange(JsonNode v, Random r) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (v.isArray() && v.size() > 0) {
      ArrayNode a = v.deepCopy();
      a.set(r.nextInt(a.size()), f.numberNode(r.nextBoolean() ? -3 : 0));
      return a;
    }
    return switch (r.nextInt(3)) {
      case 0 -> f.numberNode(0);
      case 1 -> f.numberNode(-7);
      default -> f.numberNode(1_000_000_000L);
    };
  }
}
