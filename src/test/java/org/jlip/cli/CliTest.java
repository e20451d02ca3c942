package org.jlip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

  /** Exit code plus what the command printed on stdout and stderr. */
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Jlip.run(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void helpExitsZeroEverywhere() {
    Run top = run("--help");
    assertEquals(0, top.code());
    assertTrue(top.out().contains("train"), top.out());
    Run train = run("train", "--help");
    assertEquals(0, train.code());
    assertTrue(train.out().contains("--model"), train.out());
  }

  @Test
  void badUsageExitsTwo() {
    Run r = run("train", "--model", "m.json", "--out", "o", "--no-such-flag");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--no-such-flag"), "err=[" + r.err() + "] out=[" + r.out() + "]");
  }

  @Test
  void badValidationFrequencyExitsTwoWithOneLine(@TempDir Path dir) {
    Run r = run("train", "--model", "examples/fmnist-hkr.json", "--validation-freq", "0",
        "--out", dir.resolve("o").toString());
    assertEquals(2, r.code(), r.err());
    String line = r.err().strip();
    assertEquals(1, line.lines().count(), line);
    assertTrue(line.contains("validationFreq must be >= 1 epoch, got 0"), line);
  }

  @Test
  void badModelFileExitsTwoWithOneLineNamingTheLayerAndField(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("bad.json");
    Files.writeString(model, "{\"inputShape\":[28,28,1],\"layers\":[{\"type\":\"Flatten\"},"
        + "{\"type\":\"SpectralDense\",\"units\":-3}]}");
    Run r = run("train", "--model", model.toString(), "--out", dir.resolve("o").toString());
    assertEquals(2, r.code(), r.err());
    String line = r.err().strip();
    assertEquals(1, line.lines().count(), line);
    assertTrue(line.startsWith("jlip train: model file " + model), line);
    assertTrue(line.contains("layer 1 (SpectralDense): units must be > 0, got -3"), line);
  }

  @Test
  void missingDataSetExitsOneWithOneLine(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nowhere");
    Run r = run("train", "--model", "examples/fmnist-hkr.json", "--data", missing.toString(),
        "--out", dir.resolve("o").toString());
    assertEquals(1, r.code(), r.err());
    String line = r.err().strip();
    assertEquals(1, line.lines().count(), line);
    assertTrue(line.contains(missing.toString()), line);
  }
}
