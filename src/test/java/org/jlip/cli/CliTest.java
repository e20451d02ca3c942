package org.jlip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.jlip.data.FashionMnist;
import org.jlip.data.Split;
import org.jlip.imports.ImportedModel;
import org.jlip.imports.KerasFileImporter;
import org.jlip.testing.TestImages;
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
  void serveRefusesABadPortOrModelBeforeListening() {
    assertTrue(run("serve", "--help").out().contains("/v1/certify"));
    Run port = run("serve", "--model", "savedmodels/fmnist-hkr", "--port", "70000");
    assertEquals(2, port.code());
    assertTrue(port.err().contains("--port") && port.err().contains("70000"), port.err());
    Run missing = run("serve", "--model", "no/such/model");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("no model at"), missing.err());
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

  /** --time-limit counts from the command's start: one spent before the first step is refused, not run. */
  @Test
  void aTimeLimitSpentBeforeTrainingAndANegativeCheckpointIntervalExitTwo(@TempDir Path dir) {
    Run spent = run("train", "--model", "examples/fmnist-hkr.json", "--limit", "200", "--time-limit", "0.001",
        "--out", dir.resolve("o").toString());
    assertEquals(2, spent.code(), spent.err());
    assertTrue(spent.err().contains("--time-limit 0.001 s is spent before training starts"), spent.err());
    assertFalse(Files.exists(dir.resolve("o").resolve("metrics.jsonl")));
    Run interval = run("train", "--model", "examples/fmnist-hkr.json", "--checkpoint-interval", "-1",
        "--out", dir.resolve("p").toString());
    assertEquals(2, interval.code(), interval.err());
    assertTrue(interval.err().contains("checkpointInterval must be a finite number of seconds >= 0, got -1.0"),
        interval.err());
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

  /**
   * Mistakes only building the graph finds (a shape, a loss parameter, class names that do not fit the head) are
   * reported with the file's name too.
   */
  @Test
  void errorsFoundWhileBuildingNameTheModelFile(@TempDir Path dir) throws Exception {
    String flat = "{\"inputShape\":[28,28,1],\"layers\":[{\"type\":\"Flatten\"},";
    String[][] cases = {
        {flat + "{\"type\":\"SpectralDense\",\"units\":15},{\"type\":\"GroupSort2\"}]}",
            "layer 2 (GroupSort2): "},
        {flat + "{\"type\":\"FrobeniusDense\",\"units\":10}],\"training\":{\"loss\":{\"type\":"
            + "\"MulticlassHKR\",\"alpha\":-5}}}", "training.loss (MulticlassHKR): alpha must be > 0"},
        {flat + "{\"type\":\"FrobeniusDense\",\"units\":10}],\"classNames\":[\"a\",\"b\"]}",
            "classNames has 2 names but the model has 10 outputs"}};
    for (int i = 0; i < cases.length; i++) {
      Path model = Files.writeString(dir.resolve("m" + i + ".json"), cases[i][0]);
      Run r = run("train", "--model", model.toString(), "--limit", "10", "--out", dir.resolve("o" + i).toString());
      assertEquals(2, r.code(), r.err());
      String line = r.err().strip().lines().reduce((a, b) -> b).orElse("");
      assertTrue(line.startsWith("jlip train: model file " + model + ": ") && line.contains(cases[i][1]), line);
    }
  }

  /**
   * Class folders label each split by name: a test split without class b keeps c's label and trains; one with a
   * class the training split lacks is bad input naming it.
   */
  @Test
  void splitsWithDifferentClassFoldersAreLabelledByName(@TempDir Path dir) throws Exception {
    for (String c : new String[] {"a", "b", "c"}) {
      for (int i = 0; i < 2; i++) {
        TestImages.grayPng(dir.resolve("data/train/" + c + "/" + i + ".png"), 10 * i);
      }
    }
    TestImages.grayPng(dir.resolve("data/test/a/0.png"), 0);
    TestImages.grayPng(dir.resolve("data/test/c/0.png"), 0);
    Path model = Files.writeString(dir.resolve("m.json"), "{\"inputShape\":[4,3,1],\"layers\":[{\"type\":"
        + "\"Flatten\"},{\"type\":\"FrobeniusDense\",\"units\":3}]}");
    Run ok = run("train", "--model", model.toString(), "--data", dir.resolve("data").toString(), "--epochs", "1",
        "--out", dir.resolve("o1").toString());
    assertEquals(0, ok.code(), ok.err());
    TestImages.grayPng(dir.resolve("data/test/d/0.png"), 0);
    Run bad = run("train", "--model", model.toString(), "--data", dir.resolve("data").toString(), "--epochs", "1",
        "--out", dir.resolve("o2").toString());
    assertEquals(2, bad.code(), bad.err());
    assertTrue(bad.err().contains("[d]") && bad.err().contains("training classes: [a, b, c]"), bad.err());
  }

  /** A model path that does not exist, a corrupt .keras file and a --limit of 0 are bad input: exit 2, one line. */
  @Test
  void badModelInputExitsTwoWithOneLine(@TempDir Path dir) throws Exception {
    Path corrupt = Files.writeString(dir.resolve("corrupt.keras"), "not a zip");
    Path missing = dir.resolve("nowhere");
    Path keras = Path.of("src", "test", "resources", "keras", "global_max.keras");
    String[][] cases = {{missing.toString(), "10", "no model at " + missing.toAbsolutePath()},
        {corrupt.toString(), "10", corrupt.toString()}, {keras.toString(), "0", "--limit must be >= 1, got 0"}};
    for (String[] c : cases) {
      Run r = run("certify", "--model", c[0], "--data", "fashion-mnist:test", "--limit", c[1]);
      assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
      String line = r.err().strip();
      assertEquals(1, line.lines().count(), line);
      assertTrue(line.startsWith("jlip certify: ") && line.contains(c[2]), line);
    }
  }

  /** --preprocess none feeds the source's own values: 0..255 for Fashion-MNIST, not the [0, 1] of auto. */
  @Test
  void preprocessNoneFeedsRawEightBitValues(@TempDir Path dir) throws Exception {
    Path keras = Path.of("src", "test", "resources", "keras", "functional_chain.keras");
    Path none = dir.resolve("none.csv");
    assertEquals(0, run("certify", "--model", keras.toString(), "--data", "fashion-mnist:test", "--limit", "3",
        "--preprocess", "none", "--csv", none.toString()).code());
    float[] x = Arrays.copyOf(FashionMnist.load(Split.TEST).images(), 3 * 784);
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.round(x[i] * 255);
    }
    float[][] logits;
    try (ImportedModel m = KerasFileImporter.read(keras)) {
      logits = m.logits(x, 3);
    }
    List<String> rows = Files.readAllLines(none);
    for (int i = 0; i < 3; i++) {
      float[] sorted = logits[i].clone();
      Arrays.sort(sorted);
      double margin = Double.parseDouble(rows.get(i + 1).split(",")[2]);
      assertEquals(sorted[sorted.length - 1] - sorted[sorted.length - 2], margin, 1e-4 * Math.abs(margin),
          "sample " + i + ": " + rows.get(i + 1));
    }
  }

  /** inspect describes models trained in Python too: a .keras file and a Keras SavedModel export. */
  @Test
  void inspectDescribesPythonModels() {
    Path dir = Path.of("src", "test", "resources", "keras");
    Run file = run("inspect", dir.resolve("global_max.keras").toString());
    assertEquals(0, file.code(), file.err());
    assertTrue(file.out().contains("3 logits") && file.out().contains("gmax") && file.out().contains("product"),
        file.out());
    Run export = run("inspect", dir.resolve("global_max_export").toString());
    assertEquals(0, export.code(), export.err());
    assertTrue(export.out().contains("3 logits") && export.out().contains("product"), export.out());
  }

  /** An export target that holds the training run would replace it: refused before anything is written. */
  @Test
  void exportRefusesATargetHoldingTheTrainingRun(@TempDir Path dir) throws Exception {
    Path run = Files.createDirectories(dir.resolve("run"));
    Files.writeString(run.resolve("notes.txt"), "keep");
    Run r = run("export", "--checkpoint", run.toString(), "--out", dir.toString(), "--overwrite");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("holds the training run being exported"), r.err());
    assertEquals("keep", Files.readString(run.resolve("notes.txt")));
  }

  /** --eps takes fractions as the reports print them; --out and --csv may not name the same file. */
  @Test
  void radiiAsFractionsAndDistinctOutputs(@TempDir Path dir) throws Exception {
    String keras = Path.of("src", "test", "resources", "keras", "functional_chain.keras").toString();
    Path json = dir.resolve("c.json");
    Run ok = run("certify", "--model", keras, "--data", "fashion-mnist:test", "--limit", "5", "--eps", "36/255",
        "--out", json.toString());
    assertEquals(0, ok.code(), ok.err());
    assertTrue(Files.readString(json).contains(Double.toString(36.0 / 255)), Files.readString(json));
    Run same = run("certify", "--model", keras, "--data", "fashion-mnist:test", "--limit", "5",
        "--out", json.toString(), "--csv", json.toString());
    assertEquals(2, same.code(), same.err());
    assertTrue(same.err().contains("--out and --csv name the same file"), same.err());
    assertEquals(2, run("certify", "--model", keras, "--data", "fashion-mnist:test", "--eps", "a/b").code());
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

  /** A FIFO given as data would block the read forever: refused up front, exit 2, naming it. */
  @Test
  void aFifoAsLabelsExitsTwoNamingIt(@TempDir Path dir) throws Exception {
    Path pipe = dir.resolve("labels.npy");
    assumeTrue(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor() == 0, "mkfifo failed");
    String keras = Path.of("src", "test", "resources", "keras", "functional_chain.keras").toString();
    Run r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run("certify", "--model", keras, "--data",
        "fashion-mnist:test", "--labels", pipe.toString()));
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(pipe.toString()) && r.err().contains("FIFO"), r.err());
  }
}
