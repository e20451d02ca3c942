package org.jlip.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jlip.certify.CertificateRule;
import org.jlip.layers.DenseConfig;
import org.jlip.layers.FlattenConfig;
import org.jlip.model.LipschitzSequential;
import org.jlip.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class SavedModelExporterTest {
  private static final long[] SHAPE = {4, 4, 1};
  private static final List<Integer> INPUT = List.of(4, 4, 1);

  @TempDir Path tmp;

  @Test
  void reloadedLogitsAndCertificatesMatchTheJavaSide() throws IOException {
    try (ExportFixtures f = new ExportFixtures(INPUT, 8, 3, true, 7)) {
      float[] x = ExportFixtures.inputs(2500, SHAPE, 3);
      float[] expected = f.liveLogits(x, 2500);
      Path dir = tmp.resolve("model");
      double lipschitz = 1.7;
      SavedModelExporter.export(f.model, f.session, dir, ExportOptions.of(lipschitz, CertificateRule.SQRT2));
      // batch 1000 forces three batches, the last one partial
      try (ExportedModel m = ExportedModel.load(dir, 1000)) {
        assertArrayEquals(SHAPE, m.inputShape());
        assertArrayEquals(expected, m.logits(x, 2500), 1e-5f);
        CertifyResult c = m.certify(x, 2500);
        assertEquals(3, c.outputs());
        assertArrayEquals(expected, c.logits(), 1e-5f);
        float[] radii = ExportFixtures.javaRadii(expected, 3, lipschitz, CertificateRule.SQRT2);
        assertArrayEquals(radii, c.radii(), 1e-6f);
        for (int i = 0; i < 2500; i++) {
          assertEquals(argMax(expected, i, 3), c.labels()[i], "label of sample " + i);
          assertTrue(c.radii()[i] >= 0);
        }
      }
    }
  }

  @Test
  void disjointRuleHalvesTheMarginAndBinaryUsesTheLogit() throws IOException {
    try (ExportFixtures f = new ExportFixtures(INPUT, 8, 3, true, 11)) {
      float[] x = ExportFixtures.inputs(50, SHAPE, 4);
      float[] logits = f.liveLogits(x, 50);
      Path dir = tmp.resolve("disjoint");
      SavedModelExporter.export(f.model, f.session, dir, ExportOptions.of(0.5, CertificateRule.DISJOINT));
      try (ExportedModel m = ExportedModel.load(dir)) {
        assertArrayEquals(ExportFixtures.javaRadii(logits, 3, 0.5, CertificateRule.DISJOINT),
            m.certify(x, 50).radii(), 1e-6f);
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SavedModelExporter.export(
          f.model, f.session, tmp.resolve("x"), ExportOptions.of(1, CertificateRule.BINARY)));
      assertTrue(e.getMessage().contains("one logit"), e.getMessage());
    }
    try (ExportFixtures f = new ExportFixtures(INPUT, 8, 1, true, 12)) {
      float[] x = ExportFixtures.inputs(200, SHAPE, 5);
      float[] logits = f.liveLogits(x, 200);
      Path dir = tmp.resolve("binary");
      assertEquals(CertificateRule.BINARY,
          SavedModelExporter.export(f.model, f.session, dir, ExportOptions.of(2.0, CertificateRule.SQRT2)));
      try (ExportedModel m = ExportedModel.load(dir)) {
        CertifyResult c = m.certify(x, 200);
        boolean sawBoth = false;
        for (int i = 0; i < 200; i++) {
          assertEquals(logits[i] > 0 ? 1 : 0, c.labels()[i]);
          assertEquals(Math.abs(logits[i]) / 2.0, c.radii()[i], 1e-6);
          sawBoth |= c.labels()[i] != c.labels()[0];
        }
        assertTrue(sawBoth, "fixture should produce both binary labels");
      }
      assertEquals("BINARY", SavedModelInfo.read(dir).metadata().get("certificate").get("rule").asText());
    }
  }

  @Test
  void exportHoldsOnlyTheCondensedWeightsAndIgnoresLaterTraining() throws IOException {
    try (ExportFixtures f = new ExportFixtures(INPUT, 8, 3, false, 0)) {
      // Training-side extras an export must leave out: Adam's slots and power-iteration-like state.
      f.tf.withName("dense_u").variable(f.tf.constant(new float[] {1f, 2f}));
      f.tf.withName("dense_sigma").variable(f.tf.constant(1f));
      Adam adam = new Adam(f.graph, 0.01f);
      var loss = f.tf.math.mean(f.tf.math.square(f.model.trainingOutput()), f.tf.constant(new int[] {0, 1}));
      List<Variable<TFloat32>> vars = f.model.trainableVariables();
      var grads = f.graph.addGradients(loss.asOutput(), vars.stream().map(v -> v.asOutput()).toArray(
          org.tensorflow.Output[]::new));
      List<Optimizer.GradAndVar<?>> gv = new java.util.ArrayList<>();
      for (int i = 0; i < vars.size(); i++) {
        gv.add(new Optimizer.GradAndVar<>(grads[i].expect(TFloat32.class), vars.get(i).asOutput()));
      }
      var train = adam.applyGradients(gv, "train");
      f.session.initialize();
      f.setWeights(5);
      float[] x = ExportFixtures.inputs(20, SHAPE, 6);
      try (var feed = Inference.batch(x, 0, 20, 16, SHAPE)) {
        f.session.runner().feed(f.model.input(), feed).addTarget(train).run().close();
      }
      List<String> live = ExportFixtures.variableNames(f.graph);
      assertTrue(live.containsAll(List.of("dense_u", "dense_sigma")) && live.size() > 6,
          "the live graph holds slots and state: " + live);
      float[] before = f.liveLogits(x, 20);
      Path dir = tmp.resolve("m");
      SavedModelExporter.export(f.model, f.session, dir, ExportOptions.of(1, CertificateRule.SQRT2));
      f.setWeights(99);
      assertFalse(java.util.Arrays.equals(before, f.liveLogits(x, 20)));
      try (ExportedModel m = ExportedModel.load(dir)) {
        assertEquals(Set.of("dense_kernel", "dense_bias", "dense_1_kernel", "dense_1_bias"),
            Set.copyOf(ExportFixtures.variableNames(m.bundle().graph())));
        assertArrayEquals(before, m.logits(x, 20), 1e-5f);
      }
    }
  }

  @Test
  void graphHoldsNoCopyOfTheWeights() throws IOException {
    try (ExportFixtures f = new ExportFixtures(List.of(16, 16, 1), 64, 10, true, 4)) {
      Path dir = tmp.resolve("sized");
      SavedModelExporter.export(f.model, f.session, dir, ExportOptions.of(1, CertificateRule.SQRT2));
      long weights = 4L * (256 * 64 + 64 + 64 * 10 + 10);
      assertTrue(Files.size(dir.resolve("variables/variables.data-00000-of-00001")) >= weights);
      long graph = Files.size(dir.resolve("saved_model.pb"));
      assertTrue(graph < weights / 4, "saved_model.pb has " + graph + " bytes for " + weights + " bytes of weights");
    }
  }

  @Test
  void existingTargetNeedsOverwrite() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("taken"));
    Files.writeString(dir.resolve("keep.txt"), "old");
    try (ExportFixtures f = new ExportFixtures(INPUT, 4, 3, true, 1)) {
      ExportOptions options = ExportOptions.of(1, CertificateRule.SQRT2);
      FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
          () -> SavedModelExporter.export(f.model, f.session, dir, options));
      assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
      assertEquals(List.of("keep.txt"), list(dir));
      assertEquals(List.of("taken"), list(tmp));

      // Overwrite replaces an earlier export only: a folder of other files is refused and kept.
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> SavedModelExporter.export(f.model, f.session, dir, options.withOverwrite(true)));
      assertTrue(refused.getMessage().contains("not a jlip SavedModel export"), refused.getMessage());
      assertEquals(List.of("keep.txt"), list(dir));

      Path export = tmp.resolve("export");
      SavedModelExporter.export(f.model, f.session, export, options);
      Files.writeString(export.resolve("stale.txt"), "old");
      SavedModelExporter.export(f.model, f.session, export, options.withOverwrite(true));
      assertTrue(Files.exists(export.resolve("saved_model.pb")));
      assertFalse(Files.exists(export.resolve("stale.txt")));
      assertEquals(List.of("export", "taken"), list(tmp));
    }
  }

  @Test
  void unwritableTargetFailsAndLeavesNothing() throws IOException {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    try (ExportFixtures f = new ExportFixtures(INPUT, 4, 3, true, 1)) {
      assertThrows(IOException.class, () -> SavedModelExporter.export(f.model, f.session,
          file.resolve("model"), ExportOptions.of(1, CertificateRule.SQRT2)));
      assertEquals(List.of("plain-file"), list(tmp));
    }
  }

  @Test
  void uninitialisedOrUnbuiltModelIsRefused() throws IOException {
    Path dir = tmp.resolve("never");
    ExportOptions options = ExportOptions.of(1, CertificateRule.SQRT2);
    try (ExportFixtures f = new ExportFixtures(INPUT, 4, 3, false, 1)) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> SavedModelExporter.export(f.model, f.session, dir, options));
      assertTrue(e.getMessage().contains("not initialised"), e.getMessage());
    }
    LipschitzSequential unbuilt = new LipschitzSequential(new ModelSpec(null, INPUT,
        List.of(new FlattenConfig(), new DenseConfig(3)), null, true, null, null));
    try (Graph g = new Graph(); Session s = new Session(g)) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> SavedModelExporter.export(unbuilt, s, dir, options));
      assertTrue(e.getMessage().contains("not built"), e.getMessage());
    }
    assertFalse(Files.exists(dir));
    assertEquals(List.of(), list(tmp));
  }

  @Test
  void classNamesMustMatchTheOutputs() throws IOException {
    try (ExportFixtures f = new ExportFixtures(INPUT, 4, 3, true, 1)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> SavedModelExporter.export(f.model, f.session, tmp.resolve("m"),
              ExportOptions.of(1, CertificateRule.SQRT2).withClassNames(List.of("a", "b"))));
      assertTrue(e.getMessage().contains("classNames"), e.getMessage());
      assertEquals(List.of(), list(tmp));
    }
  }

  private static int argMax(float[] logits, int row, int width) {
    int best = 0;
    for (int k = 1; k < width; k++) {
      if (logits[row * width + k] > logits[row * width + best]) {
        best = k;
      }
    }
    return best;
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

}
