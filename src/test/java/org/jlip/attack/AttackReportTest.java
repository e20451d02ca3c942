package org.jlip.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttackReportTest {
  private static final double INF = Double.POSITIVE_INFINITY;
  private static final int[] LABELS = {0, 1, 2, 1, 0};
  private static final int[] PREDICTIONS = {0, 1, 2, 1, 2};
  private static final double[] RADII = {0.5, 0.05, 0.3, 0.2, -0.1};
  private static final double[] NORMS = {0.8, 0.4, INF, 0.1, 0.0};

  private static PgdResult pgd(double eps, boolean... success) {
    int n = success.length;
    double[] norm = new double[n];
    java.util.Arrays.fill(norm, eps * 0.9);
    return new PgdResult(eps, LABELS, PREDICTIONS, success, PREDICTIONS, norm, new float[0]);
  }

  @Test
  void provableAndEmpiricalAccuracyPerEps() {
    // Sample 1 broken by PGD at 0.25 (norm 0.225) though its minimal-norm result was 0.4.
    AttackReport r = AttackReport.of("m", LABELS, PREDICTIONS, RADII, NORMS,
        List.of(pgd(0.25, false, true, false, false, true)), new double[] {0, 0.15, 0.25, 0.6, 1.0});
    assertEquals(0.8, r.accuracy(), 1e-12);
    assertEquals((0.5 + 0.05 + 0.3 + 0.2) / 5, r.meanCertifiedRadius(), 1e-12);
    assertEquals(0.225, r.samples().get(1).adversarialNorm(), 1e-12);
    double[][] expected = {{0, 0.8, 0.8}, {0.15, 0.6, 0.6}, {0.25, 0.4, 0.4}, {0.6, 0.0, 0.4}, {1.0, 0, 0.2}};
    for (int k = 0; k < expected.length; k++) {
      RobustnessAtEps row = r.rows().get(k);
      assertEquals(expected[k][0], row.eps());
      assertEquals(expected[k][1], row.provable(), 1e-12, "provable at " + row.eps());
      assertEquals(expected[k][2], row.empirical(), 1e-12, "empirical at " + row.eps());
    }
  }

  @Test
  void violationsAreAdversarialNormsBelowTheRadius() {
    AttackReport r = AttackReport.of("m", LABELS, PREDICTIONS, RADII, NORMS, List.of(), new double[] {0.1});
    List<Violation> v = r.violations();
    assertEquals(1, v.size());
    assertEquals(3, v.get(0).index());
    assertEquals(0.1, v.get(0).adversarialNorm());
    double[] exactRadius = NORMS.clone();
    exactRadius[2] = 0.3;
    exactRadius[3] = 0.1 + 5e-5; // within float tolerance: not a violation
    exactRadius[4] = -0.1;
    assertEquals(List.of(), AttackReport.of("m", LABELS, PREDICTIONS, exactRadius, NORMS, List.of(),
        new double[0]).violations());
  }

  @Test
  void writesJsonAndCsv(@TempDir Path dir) throws Exception {
    AttackReport r = AttackReport.of("hkr", LABELS, PREDICTIONS, RADII, NORMS, List.of(), new double[] {0, 0.25});
    r.writeJson(dir.resolve("report.json"));
    r.writeCsv(dir.resolve("samples.csv"));
    r.writeSummaryCsv(dir.resolve("summary.csv"));
    JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertEquals("hkr", json.get("model").asText());
    assertEquals(0.8, json.get("accuracy").asDouble(), 1e-12);
    assertEquals(1, json.get("violations").asInt());
    assertEquals(0.25, json.get("robustAccuracy").get(1).get("eps").asDouble());
    assertEquals(0.4, json.get("robustAccuracy").get(1).get("provable").asDouble(), 1e-12);
    assertTrue(json.get("perSample").get(2).get("adversarialNorm").isNull());
    List<String> lines = Files.readAllLines(dir.resolve("samples.csv"));
    assertEquals("index,label,prediction,certified_radius,adversarial_norm", lines.get(0));
    assertEquals(6, lines.size());
    assertEquals("2,2,2,0.300000,inf", lines.get(3));
    assertEquals("0.250000,0.400000,0.600000", Files.readAllLines(dir.resolve("summary.csv")).get(2));
  }
}
