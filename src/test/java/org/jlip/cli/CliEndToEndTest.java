package org.jlip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jlip.cli.CliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train -> export -> certify -> inspect through the command line, on a slice of Fashion-MNIST. */
class CliEndToEndTest {

  @Test
  void trainExportCertifyInspect(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    Run train = CliTest.run("train", "--model", "examples/fmnist-hkr.json", "--limit", "1024", "--epochs", "1",
        "--out", run.toString());
    assertEquals(0, train.code(), train.err());
    assertTrue(train.out().contains("provable robust accuracy"), train.out());
    assertTrue(Files.isRegularFile(run.resolve("metrics.jsonl")));

    Path saved = dir.resolve("saved");
    Run export = CliTest.run("export", "--checkpoint", run.toString(), "--out", saved.toString());
    assertEquals(0, export.code(), export.err());
    long before = Files.getLastModifiedTime(saved.resolve("saved_model.pb")).toMillis();
    Run again = CliTest.run("export", "--checkpoint", run.toString(), "--out", saved.toString());
    assertEquals(2, again.code(), again.err());
    assertTrue(again.err().contains("--overwrite"), again.err());
    assertEquals(before, Files.getLastModifiedTime(saved.resolve("saved_model.pb")).toMillis());

    Path report = dir.resolve("report.json");
    Run certify = CliTest.run("certify", "--model", saved.toString(), "--data", "fashion-mnist:test", "--limit",
        "300", "--out", report.toString(), "--csv", dir.resolve("report.csv").toString());
    assertEquals(0, certify.code(), certify.err());
    JsonNode r = new ObjectMapper().readTree(report.toFile());
    assertEquals(300, r.get("samples").asInt());
    assertEquals("DISJOINT", r.get("rule").asText());
    assertEquals(300, r.get("perSample").size());
    double measured = r.get("lipschitz").get("measured").asDouble();
    assertTrue(measured > 0 && measured < 1.05, "measured L " + measured);
    JsonNode first = r.get("perSample").get(0);
    assertEquals(first.get("margin").asDouble() / (2 * measured), first.get("radius").asDouble(), 1e-5);
    assertEquals(301, Files.readAllLines(dir.resolve("report.csv")).size());

    Run fromRun = CliTest.run("certify", "--model", run.toString(), "--data", "fashion-mnist:test", "--limit",
        "300", "--out", dir.resolve("report-run.json").toString());
    assertEquals(0, fromRun.code(), fromRun.err());
    JsonNode r2 = new ObjectMapper().readTree(dir.resolve("report-run.json").toFile());
    assertEquals(r.get("measured").get("accuracy").asDouble(), r2.get("measured").get("accuracy").asDouble(), 1e-9);
    assertEquals(measured, r2.get("lipschitz").get("measured").asDouble(), 1e-6);

    Run inspect = CliTest.run("inspect", saved.toString());
    assertEquals(0, inspect.code(), inspect.err());
    assertTrue(inspect.out().contains("certify:") && inspect.out().contains("spectral_conv2d"), inspect.out());
    assertTrue(inspect.out().contains("dft") && inspect.out().contains("column-norms"), inspect.out());
  }
}
