package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jlip.certify.CertificateRule;
import org.jlip.layers.GroupSort2Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KerasFileImporterTest {
  private static final String DIR = "deel_lip_keras3/";

  private static float[] logits(String file) throws IOException {
    try (ImportedModel m = KerasFileImporter.read(Fixtures.require(DIR + file))) {
      assertArrayEquals(new long[] {28, 28, 1}, m.inputShape());
      return m.logits(Fixtures.pattern(784), 1)[0];
    }
  }

  @Test
  void lipModelsAndVanillaTwinsReproduceReadmeLogits() throws IOException {
    Map<String, float[]> expected = Map.of(
        "demo3_FC_MNIST08_channelfirst", new float[] {0.1020326f, -0.1020304f},
        "demo3_FC_MNIST08_channelfirst_False_disj_Neurons", new float[] {0.3619653f, -0.0348263f},
        "demo3_MNIST08_channelfirst", new float[] {0.3377435f},
        "demo0_MNIST_channelfirst_False_disj_Neurons_normalized", new float[] {-0.8513637f, -6.9972659f,
            -1.6081245f, -3.8081615f, -3.7834122f, -2.877772f, -3.8301902f, -4.879051f, -1.5843779f, -3.286165f});
    for (var e : expected.entrySet()) {
      String lip = e.getKey() + ".keras";
      String vanilla = e.getKey().replaceFirst("(demo\\d(_FC)?)_", "$1_vanilla_") + ".keras";
      float[] a = logits(lip);
      float[] b = logits(vanilla);
      assertArrayEquals(e.getValue(), a, 1e-5f, lip);
      assertArrayEquals(a, b, 1e-5f, vanilla);
    }
  }

  @Test
  void headChoosesTheCertificateRuleAndBoundsAreNearOne() throws IOException {
    Object[][] cases = {
        {"demo3_FC_MNIST08_channelfirst.keras", CertificateRule.DISJOINT},
        {"demo3_FC_MNIST08_channelfirst_False_disj_Neurons.keras", CertificateRule.SQRT2},
        {"demo3_MNIST08_channelfirst.keras", CertificateRule.BINARY},
        {"demo0_MNIST_channelfirst_False_disj_Neurons_normalized.keras", CertificateRule.SQRT2}};
    for (Object[] c : cases) {
      try (ImportedModel m = KerasFileImporter.read(Fixtures.require(DIR + c[0]))) {
        assertEquals(c[1], m.rule(), (String) c[0]);
        assertTrue(m.nominalIsOne(), (String) c[0]);
        assertEquals(1.0, m.layerBounds().nominal(), 1e-12);
        // Dense layers measure 1.000-1.004; the convolutions' true norms are 1.02-1.05 (NUMERICS.md caveat).
        assertTrue(m.lipschitzBound() >= 1.0 && m.lipschitzBound() < 1.12, c[0] + ": " + m.lipschitzBound());
        m.layerBounds().layers().forEach(b -> assertTrue(b.estimate() <= b.measured() + 1e-12, b.toString()));
      }
    }
  }

  @Test
  void channelsFirstConvModelSortsAlongTheWidthAxis() throws IOException {
    try (ImportedModel m = KerasFileImporter.read(Fixtures.require(DIR + "demo3_MNIST08_channelfirst.keras"))) {
      assertTrue(m.channelsFirst());
      var sorts = m.spec().layers().stream().filter(l -> l instanceof GroupSort2Config || l.type().equals("GroupSort"))
          .toList();
      assertEquals(3, sorts.size());
      assertEquals("spectral_conv2d", m.spec().layers().get(0).name());
      assertEquals(32 * 1, m.weights().get("frobenius_dense").get("kernel").values().length);
      assertArrayEquals(new long[] {3, 3, 1, 16}, m.weights().get("spectral_conv2d").get("kernel").shape());
    }
  }

  @Test
  void zipEntryEscapingItsFolderIsRefused(@TempDir Path tmp) throws IOException {
    Path bad = tmp.resolve("evil.keras");
    writeZip(bad, Map.of("../evil.txt", "x", "config.json", "{}", "model.weights.h5", ""));
    var e = assertThrows(UntrustedModelException.class, () -> KerasFileImporter.read(bad));
    assertTrue(e.getMessage().contains("../evil.txt"), e.getMessage());
    Path abs = tmp.resolve("abs.keras");
    writeZip(abs, Map.of("/etc/passwd", "x"));
    assertThrows(UntrustedModelException.class, () -> KerasFileImporter.read(abs));
  }

  @Test
  void configNamingAMissingWeightIsAClearError(@TempDir Path tmp) throws IOException {
    Path source = Fixtures.require(DIR + "demo3_FC_vanilla_MNIST08_channelfirst.keras");
    Map<String, byte[]> entries = KerasZip.read(source);
    // A fourth Dense layer: its weights would be group layers/dense_3, which the file does not hold.
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var config = json.readTree(entries.get("config.json"));
    var layers = (com.fasterxml.jackson.databind.node.ArrayNode) config.path("config").path("layers");
    var extra = layers.get(layers.size() - 1).deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) extra.path("config")).put("name", "extra");
    layers.add(extra);
    byte[] patched = json.writeValueAsBytes(config);
    Path bad = tmp.resolve("missing.keras");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(bad))) {
      put(z, "config.json", patched);
      put(z, "model.weights.h5", entries.get("model.weights.h5"));
    }
    var e = assertThrows(IOException.class, () -> KerasFileImporter.read(bad));
    assertTrue(e instanceof MalformedModelException, e.toString());
    assertTrue(e.getMessage().contains("layers/dense_3/vars/0"), e.getMessage());
  }

  @Test
  void notAZipIsMalformed(@TempDir Path tmp) throws IOException {
    Path f = tmp.resolve("x.keras");
    Files.writeString(f, "not a zip");
    assertThrows(MalformedModelException.class, () -> ModelLoader.load(f));
  }

  private static void writeZip(Path file, Map<String, String> entries) throws IOException {
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
      for (var e : entries.entrySet()) {
        put(z, e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static void put(ZipOutputStream z, String name, byte[] data) throws IOException {
    z.putNextEntry(new ZipEntry(name));
    OutputStream out = z;
    out.write(data);
    z.closeEntry();
  }
}
