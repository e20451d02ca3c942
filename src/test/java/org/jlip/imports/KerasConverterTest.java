package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jlip.export.ExportCertifiedModel;
import org.jlip.cli.Jlip;
import org.jlip.export.ExportedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jlip convert: every deel-lip fixture (and the Keras-made Functional ones) becomes a jlip SavedModel that computes
 * the same logits in NHWC.
 */
class KerasConverterTest {
  private static final Path DIR = Path.of("..", "shared", "models", "python", "deel_lip_keras3");

  @Test
  void convertedSavedModelsReloadWithEqualOutputsAndRule(@TempDir Path tmp) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".keras")).sorted().toList();
    }
    assertTrue(files.size() >= 8, "expected the deel-lip fixtures in " + DIR);
    // Keras-made Functional and softmax-ending models (src/test/python/make_keras_fixtures.py).
    Path keras = Path.of("src", "test", "resources", "keras");
    files = Stream.concat(files.stream(), Stream.of("functional_chain", "sequential_softmax",
        "global_average_channels_first", "flatten_default_channels_first").map(n -> keras.resolve(n + ".keras")))
        .toList();
    float[] x = new float[784];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i % 7) / 7f;
    }
    for (Path f : files) {
      Path out = tmp.resolve(f.getFileName().toString().replace(".keras", ""));
      KerasConverter.convert(f, out, false);
      float[] expected;
      try (ImportedModel m = KerasFileImporter.read(f)) {
        expected = m.logits(x, 1)[0];
        try (ExportCertifiedModel exported = ExportCertifiedModel.open(out)) {
          assertEquals(m.rule(), exported.rule(), f.toString());
          assertEquals(m.layerBounds().measured(), exported.bound().measured(), 1e-4, f.toString());
        }
      }
      try (ExportedModel e = ExportedModel.load(out)) {
        assertArrayEquals(new long[] {28, 28, 1}, e.inputShape(), f.toString());
        assertArrayEquals(expected, e.logits(x, 1), 1e-5f, f.toString());
      }
    }
  }

  @Test
  void fileWithLayersJlipCannotTrainIsRefusedNamingTheLayer(@TempDir Path tmp) throws IOException {
    Path file = Path.of("src", "test", "resources", "keras", "plain_cnn_bn_channels_last.keras");
    Path out = tmp.resolve("bn");
    var e = assertThrows(UnsupportedModelException.class, () -> KerasConverter.convert(file, out, false));
    assertTrue(e.getMessage().contains("cannot be converted: layer 'bn' (BatchNormalization) has no jlip equivalent"),
        e.getMessage());
    assertFalse(Files.exists(out));
    // jlip convert reports it on one line and fails.
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = Jlip.run("convert", file.toString(), "--out", out.toString());
    } finally {
      System.setErr(old);
    }
    // Log lines ("[main] INFO ...") may share stderr; the failure itself is one line, with no stack trace.
    String lines = err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("[main] "))
        .collect(java.util.stream.Collectors.joining("\n")).strip();
    assertNotEquals(0, code);
    assertEquals(1, lines.lines().count(), lines);
    assertTrue(lines.startsWith("jlip convert: ") && lines.contains("layer 'bn' (BatchNormalization)"), lines);
    assertFalse(Files.exists(out));
  }
}
