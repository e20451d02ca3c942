package org.jlip.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jlip.train.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real code path with tiny settings; checks the lines' shape and arithmetic, never their speed. */
class BenchmarkTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static Map<String, JsonNode> run(List<String> only, Integer batch) throws IOException {
    List<ObjectNode> lines = new Benchmark(new BenchOptions(only, null, null, null, batch, Device.CPU, 1, 2, 2, 0, 3))
        .run();
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    for (ObjectNode line : lines) {
      // What the command prints must parse back to the same object.
      JsonNode parsed = MAPPER.readTree(line.toString());
      assertEquals(line, parsed);
      byName.put(parsed.get("name").asText(), parsed);
    }
    assertEquals("process", List.copyOf(byName.keySet()).get(byName.size() - 1));
    return byName;
  }

  private static void assertTimed(JsonNode r, int steps) {
    assertFalse(r.has("error"), r.toString());
    assertEquals("CPU:0", r.get("device").asText(), r.toString());
    assertTrue(r.get("nodes_per_device").get("CPU:0").asInt() > 0, r.toString());
    double median = r.get("median_ms").asDouble();
    assertTrue(median > 0, r.toString());
    assertTrue(r.get("p10_ms").asDouble() > 0 && r.get("p10_ms").asDouble() <= median, r.toString());
    assertTrue(r.get("p90_ms").asDouble() >= median, r.toString());
    assertEquals(steps, r.get("steps").asInt());
    assertEquals(2, r.get("round_median_ms").size());
  }

  @Test
  void matmulAndDenseLayerLinesHaveTheirFields() throws IOException {
    Map<String, JsonNode> r = run(List.of("matmul", "layer-dense"), null);
    assertEquals(List.of("matmul", "layer-dense", "process"), List.copyOf(r.keySet()));
    JsonNode mm = r.get("matmul");
    assertTimed(mm, 4);
    assertEquals(2.0 * 1024 * 1024 * 1024 / (mm.get("median_ms").asDouble() / 1e3) / 1e9,
        mm.get("gflops").asDouble(), 0.01 * mm.get("gflops").asDouble());
    assertFalse(mm.has("batch"));
    JsonNode dense = r.get("layer-dense");
    assertTimed(dense, 4);
    assertEquals(128, dense.get("batch").asInt());
    assertEquals(128 / (dense.get("median_ms").asDouble() / 1e3), dense.get("images_per_s").asDouble(),
        0.01 * dense.get("images_per_s").asDouble());
    JsonNode process = r.get("process");
    assertTrue(process.get("peak_rss_mb").asDouble() > 100, process.toString());
    assertEquals(2, process.get("rounds").asInt());
    // Only one side of each pair ran: no ratio line.
    assertTrue(r.keySet().stream().noneMatch(n -> n.startsWith("ratio")), r.keySet().toString());
  }

  @Test
  void ratioLineDividesTheMediansOfTheSameRun() throws IOException {
    Map<String, JsonNode> r = run(List.of("layer-dense", "layer-spectral-dense"), 8);
    JsonNode ratio = r.get("ratio-spectral-dense");
    double expected = r.get("layer-spectral-dense").get("median_ms").asDouble()
        / r.get("layer-dense").get("median_ms").asDouble();
    assertEquals(expected, ratio.get("ratio").asDouble(), 0.002 * expected + 0.001);
    assertEquals(2, ratio.get("round_ratios").size());
    assertEquals(8, r.get("layer-spectral-dense").get("batch").asInt());
  }

  @Test
  void modelsAreTrainedAndComparedAndAFailureBecomesAnErrorLine(@TempDir Path dir) throws IOException {
    Path lip = dir.resolve("lip.json");
    Files.writeString(lip, """
        {"inputShape": [4, 4, 1], "layers": [{"type": "Flatten"}, {"type": "SpectralDense", "units": 3}],
         "training": {"loss": {"type": "MulticlassHKR"}, "batchSize": 8}}""");
    Path base = dir.resolve("base.json");
    Files.writeString(base, """
        {"inputShape": [4, 4, 1], "allowNonLipschitz": true,
         "layers": [{"type": "Flatten"}, {"type": "Dense", "units": 3}],
         "training": {"loss": {"type": "CategoricalCrossentropy"}, "batchSize": 8}}""");
    Path flat = dir.resolve("flat.json");
    Files.writeString(flat, """
        {"inputShape": [16], "allowNonLipschitz": true, "layers": [{"type": "Dense", "units": 3}],
         "training": {"loss": {"type": "CategoricalCrossentropy"}}}""");
    Map<String, JsonNode> r = run(List.of("model:" + lip, "model:" + base, "model:" + flat), null);
    JsonNode l = r.get("model:" + lip);
    assertTimed(l, 4);
    assertEquals(8, l.get("batch").asInt());
    assertTrue(l.get("lipschitz").asBoolean());
    assertTrue(Double.isFinite(l.get("last_loss").asDouble()), l.toString());
    assertFalse(r.get("model:" + base).get("lipschitz").asBoolean());
    JsonNode ratio = r.get("ratio-model");
    assertEquals("model:" + lip, ratio.get("numerator").asText());
    assertEquals("model:" + base, ratio.get("denominator").asText());
    assertEquals(2.0, ratio.get("target").asDouble());
    assertEquals(ratio.get("ratio").asDouble() <= 2.0, ratio.get("within_target").asBoolean());
    JsonNode failed = r.get("model:" + flat);
    assertTrue(Benchmark.isError((ObjectNode) failed));
    assertTrue(failed.get("error").asText().contains("inputShape [16]"), failed.toString());
  }

  @Test
  void exportLineReportsTheThreePathsAndAMissingExportAnError() {
    Path committed = Path.of("savedmodels", "fmnist-hkr");
    List<ObjectNode> lines = new Benchmark(new BenchOptions(List.of("matmul"), null,
        List.of(committed, Path.of("no-such-export")), null, 16, Device.CPU, 0, 1, 1, 0, 3)).run();
    JsonNode export = lines.get(1);
    assertEquals("export:" + committed, export.get("name").asText());
    assertFalse(export.has("error"), export.toString());
    assertEquals(16, export.get("batch").asInt());
    for (String f : List.of("images_per_s_direct", "images_per_s_serving", "images_per_s_certify")) {
      assertTrue(export.get(f).asDouble() > 0, export.toString());
    }
    assertEquals(export.get("images_per_s_serving").asDouble() / export.get("images_per_s_direct").asDouble(),
        export.get("serving_over_direct").asDouble(), 0.01 * export.get("serving_over_direct").asDouble() + 1e-3);
    assertTrue(Benchmark.isError(lines.get(2)), lines.get(2).toString());
  }
}
