package org.jlip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {

  @Test
  void helpExitsZero() {
    assertEquals(0, Jlip.run("bench", "--help"));
  }

  @Test
  void unknownMeasurementIsAUsageError() {
    assertEquals(2, Jlip.run("bench", "--only", "nothing"));
  }

  @Test
  void outFileHoldsTheJsonLines(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("bench.jsonl");
    assertEquals(0, Jlip.run("bench", "--only", "matmul", "--warmup", "0", "--steps", "1", "--rounds", "1",
        "--threads", "1", "--out", out.toString()));
    List<String> lines = Files.readAllLines(out);
    assertEquals(2, lines.size(), lines.toString());
    ObjectMapper m = new ObjectMapper();
    JsonNode mm = m.readTree(lines.get(0));
    assertEquals("matmul", mm.get("name").asText());
    assertTrue(mm.get("gflops").asDouble() > 0, mm.toString());
    JsonNode process = m.readTree(lines.get(1));
    assertEquals("process", process.get("name").asText());
    assertEquals(1, process.get("threads").asInt());
  }
}
