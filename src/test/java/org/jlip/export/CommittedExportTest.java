package org.jlip.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jlip.certify.CertificationReport;
import org.jlip.data.Dataset;
import org.jlip.data.FashionMnist;
import org.jlip.data.Split;
import org.jlip.model.ModelBound;
import org.jlip.testing.LipschitzHarness;
import org.jlip.train.TrainOptions;
import org.junit.jupiter.api.Test;

/** The committed Fashion-MNIST classifier: its bound holds, and the numbers savedmodels/README.md states are true. */
class CommittedExportTest {
  private static final Path DIR = SavedModelInteropFixtureTest.COMMITTED;

  @Test
  void measuredLipschitzConstantStaysWithinTheReportedBound() throws IOException {
    try (ExportedBounds rebuilt = ExportedBounds.rebuild(DIR)) {
      ModelBound bound = rebuilt.bound();
      double found = LipschitzHarness.estimate(rebuilt.session(), rebuilt.model().input(),
          rebuilt.model().inferenceOutput(), LipschitzHarness.Options.defaults().withPerOutput(true));
      System.out.printf("committed model: harness (per logit) %.5f, measured bound %.5f, ratio %.4f%n", found,
          bound.measured(), found / bound.measured());
      assertTrue(found <= 1.02 * bound.measured(), "harness " + found + " > 1.02 x bound " + bound.measured());
    }
  }

  /**
   * The rebuilt layers are plain ones, which claim no constant: the nominal column must come from the metadata's
   * claims, per layer, while the measured one is recomputed and agrees with what the export recorded.
   */
  @Test
  void theRebuiltBoundShowsTheMetadatasClaimsBesideItsOwnMeasurement() throws IOException {
    JsonNode lip = new ObjectMapper().readTree(DIR.resolve(Metadata.DIR).resolve(Metadata.FILE).toFile())
        .path("lipschitz");
    try (ExportedBounds rebuilt = ExportedBounds.rebuild(DIR)) {
      ModelBound bound = rebuilt.bound();
      assertEquals(lip.path("layers").size(), bound.layers().size());
      for (int i = 0; i < bound.layers().size(); i++) {
        JsonNode recorded = lip.path("layers").get(i);
        assertEquals(recorded.path("name").asText(), bound.layerNames().get(i));
        assertEquals(recorded.path("nominal").asDouble(), bound.layers().get(i).nominal(), 0, recorded.toString());
        assertEquals(recorded.path("measured").asDouble(), bound.layers().get(i).measured(), 1e-6,
            recorded.toString());
      }
      assertEquals(lip.path("nominal").asDouble(), bound.nominal(), 1e-12);
      assertTrue(bound.table().lines().noneMatch(l -> l.contains("unbounded")), bound.table());
    }
  }

  @Test
  void readmeStatesTheCertifiedNumbers() throws IOException {
    String readme = Files.readString(DIR.getParent().resolve("README.md"));
    Matcher m = Pattern.compile("accuracy ([0-9.]+)%.*?provable robust accuracy ([0-9.]+)% at eps 36/255"
        + "\\s+\\(measured bound\\)", Pattern.DOTALL).matcher(readme);
    assertTrue(m.find(), "savedmodels/README.md must state 'accuracy X% ... provable robust accuracy Y% at eps"
        + " 36/255 (measured bound)'");
    Dataset test = FashionMnist.load(Split.TEST);
    try (ExportCertifiedModel model = ExportCertifiedModel.open(DIR)) {
      float[] logits = model.logits(test.images(), test.size());
      CertificationReport r = CertificationReport.of(model, logits, test.size(), test.labels(),
          TrainOptions.DEFAULT_EPS.stream().mapToDouble(Double::doubleValue).toArray());
      assertEquals(Double.parseDouble(m.group(1)), 100 * r.measured().accuracy(), 0.005);
      assertEquals(Double.parseDouble(m.group(2)), 100 * r.measured().provableRobustAccuracy()[1], 0.005);
    }
  }
}
