package org.jlip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.BiFunction;
import javax.imageio.ImageIO;
import org.jlip.cli.CliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train -> export -> certify -> inspect through the command line, on a slice of Fashion-MNIST and on PNG class
 * folders.
 */
class CliEndToEndTest {

  /**
   * Training on the user's own images: train/ and test/ folders with one folder of PNG images per class, the
   * layout of Keras's image_dataset_from_directory. Two classes of 8x8 images, bright top or bright bottom (with
   * noise), are learnt and certified, and the run and its export name the classes.
   */
  @Test
  void trainAndCertifyOnClassFoldersOfPngImages(@TempDir Path dir) throws Exception {
    writeClassFolders(dir.resolve("data"), "test", new String[] {"bottom", "top"}, 64, (cls, r) -> {
      BufferedImage im = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          boolean bright = (y < 4) == cls.equals("top");
          im.getRaster().setSample(x, y, 0, (bright ? 160 : 40) + r.nextInt(60));
        }
      }
      return im;
    });
    // Bright halves 120 grey levels apart on 32 pixels: a margin far above the noise, learnt in 15 epochs.
    trainAndCertify(dir, "[8, 8, 1]", 16, 15, 32);
    // The model file names no classes: the run takes the class folders' names, and its export keeps them.
    Path run = dir.resolve("run");
    JsonNode names = new ObjectMapper().readTree(run.resolve("model.json").toFile()).get("classNames");
    assertEquals("[\"bottom\",\"top\"]", String.valueOf(names));
    Path saved = dir.resolve("saved");
    assertEquals(0, CliTest.run("export", "--checkpoint", run.toString(), "--out", saved.toString()).code());
    Run inspect = CliTest.run("inspect", saved.toString());
    assertTrue(inspect.out().contains("bottom") && inspect.out().contains("top"), inspect.out());
  }

  /**
   * Color PNG class folders (red-ish against blue-ish 6x6 images, a val/ split) for a three-channel model: trained
   * and certified in RGB, then attacked (the grid of adversarial examples is drawn in color).
   */
  @Test
  void colorClassFoldersTrainAThreeChannelModel(@TempDir Path dir) throws Exception {
    writeClassFolders(dir.resolve("data"), "val", new String[] {"blue", "red"}, 48, (cls, r) -> {
      BufferedImage im = new BufferedImage(6, 6, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 6; y++) {
        for (int x = 0; x < 6; x++) {
          int strong = 170 + r.nextInt(60);
          int weak = 30 + r.nextInt(60);
          int g = 30 + r.nextInt(60);
          im.setRGB(x, y, cls.equals("red") ? (strong << 16) | (g << 8) | weak : (weak << 16) | (g << 8) | strong);
        }
      }
      return im;
    });
    trainAndCertify(dir, "[6, 6, 3]", 8, 10, 24);
    Run attack = CliTest.run("attack", "--model", dir.resolve("run").toString(), "--data",
        dir.resolve("data").toString(), "--n", "8", "--out", dir.resolve("attack").toString());
    assertEquals(0, attack.code(), attack.err());
    BufferedImage grid = ImageIO.read(dir.resolve("attack").resolve("grid.png").toFile());
    boolean colored = false;
    for (int y = 0; y < grid.getHeight() && !colored; y++) {
      for (int x = 0; x < grid.getWidth() && !colored; x++) {
        int p = grid.getRGB(x, y);
        colored = ((p >> 16) & 0xff) != (p & 0xff);
      }
    }
    assertTrue(colored, "the grid shows the images in color");
  }

  /** data/train/CLASS/i.png (perClass images) and data/TEST/CLASS/i.png (a quarter as many), drawn by image. */
  private static void writeClassFolders(Path data, String test, String[] classes, int perClass,
      BiFunction<String, Random, BufferedImage> image) throws Exception {
    Random r = new Random(perClass);
    for (String split : new String[] {"train", test}) {
      for (String cls : classes) {
        for (int i = 0; i < (split.equals("train") ? perClass : perClass / 4); i++) {
          Path f = Files.createDirectories(data.resolve(split).resolve(cls)).resolve(i + ".png");
          ImageIO.write(image.apply(cls, r), "png", f.toFile());
        }
      }
    }
  }

  /**
   * Trains a two-class HKR dense net (Flatten, SpectralDense units + GroupSort2, disjoint FrobeniusDense) on dir/data
   * into dir/run and certifies it on the test split: the report must count the samples and 95% accuracy at least.
   */
  private static void trainAndCertify(Path dir, String inputShape, int units, int epochs, int samples)
      throws Exception {
    Path model = Files.writeString(dir.resolve("m.json"), "{\"inputShape\": " + inputShape + ", \"layers\": ["
        + "{\"type\": \"Flatten\"}, {\"type\": \"SpectralDense\", \"units\": " + units + "},"
        + "{\"type\": \"GroupSort2\"}, {\"type\": \"FrobeniusDense\", \"units\": 2, \"useBias\": false}],"
        + "\"training\": {\"loss\": {\"type\": \"MulticlassHKR\", \"alpha\": 10.0, \"minMargin\": 0.5},"
        + "\"learningRate\": 0.01, \"batchSize\": 16, \"epochs\": " + epochs + "}}");
    Path run = dir.resolve("run");
    Run train = CliTest.run("train", "--model", model.toString(), "--data", dir.resolve("data").toString(),
        "--out", run.toString());
    assertEquals(0, train.code(), train.err());
    Path report = dir.resolve("report.json");
    Run certify = CliTest.run("certify", "--model", run.toString(), "--data", dir.resolve("data").toString(),
        "--out", report.toString());
    assertEquals(0, certify.code(), certify.err());
    JsonNode rep = new ObjectMapper().readTree(report.toFile());
    assertEquals(samples, rep.get("samples").asInt());
    assertTrue(rep.get("measured").get("accuracy").asDouble() >= 0.95, rep.get("measured").toString());
    // One row per class folder, named after it.
    JsonNode perClass = rep.get("perClass");
    assertEquals(2, perClass.size(), perClass.toString());
    assertEquals(samples, perClass.get(0).get("samples").asInt() + perClass.get(1).get("samples").asInt());
    assertTrue(perClass.get(0).has("name") && perClass.get(0).get("provableRobustAccuracy").size() == 5,
        perClass.toString());
    assertTrue(certify.out().contains("per class, sound L"), certify.out());
  }

  /** The flag reaches the trainer and the run's model.json (the record of how the run was trained). */
  @Test
  void reprojectKernelFlagOverridesTheTrainingBlock(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    Run train = CliTest.run("train", "--model", "examples/fmnist-hkr.json", "--limit", "256", "--epochs", "1",
        "--reproject-kernel", "--out", run.toString());
    assertEquals(0, train.code(), train.err());
    assertTrue(train.err().contains("reprojectKernel: 4 kernels"), train.err());
    JsonNode written = new ObjectMapper().readTree(run.resolve("model.json").toFile());
    assertTrue(written.get("training").get("reprojectKernel").asBoolean(), written.toString());
    Run bad = CliTest.run("train", "--model", "examples/fmnist-hkr.json", "--reproject-kernel=maybe", "--out",
        dir.resolve("bad").toString());
    assertEquals(2, bad.code(), bad.err());
    assertTrue(bad.err().contains("--reproject-kernel"), bad.err());
  }

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
