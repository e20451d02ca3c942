package org.jlip.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesTest {

  @TempDir Path dir;

  record EpochMetrics(int epoch, double loss, String note) {}

  @Test
  void linesParseBackAndAppendAcrossOpens() throws IOException {
    Path file = dir.resolve("runs/metrics.jsonl");
    try (JsonLines lines = JsonLines.open(file)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("step", 1);
      m.put("acc", 0.5);
      lines.append(m);
      lines.append(new EpochMetrics(2, 0.125, "two\nlines"));
      // flushed per line: visible before close
      assertEquals(2, Files.readAllLines(file).size());
    }
    try (JsonLines lines = JsonLines.open(file)) {
      lines.append(Map.of("epoch", 3));
    }
    List<String> raw = Files.readAllLines(file);
    assertEquals(3, raw.size());
    List<JsonNode> nodes = JsonLines.readAll(file);
    assertEquals(1, nodes.get(0).get("step").asInt());
    assertEquals(0.5, nodes.get(0).get("acc").asDouble());
    assertEquals(2, nodes.get(1).get("epoch").asInt());
    assertEquals(0.125, nodes.get(1).get("loss").asDouble());
    assertEquals("two\nlines", nodes.get(1).get("note").asText());
    assertEquals(3, nodes.get(2).get("epoch").asInt());
  }

  @Test
  void nonObjectsAreRejected() throws IOException {
    Path file = dir.resolve("m.jsonl");
    try (JsonLines lines = JsonLines.open(file)) {
      assertThrows(IllegalArgumentException.class, () -> lines.append(List.of(1, 2)));
    }
    Files.writeString(file, "{\"a\":1}\n[1]\n");
    assertThrows(IOException.class, () -> JsonLines.readAll(file));
  }
}
