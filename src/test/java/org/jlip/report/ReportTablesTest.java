package org.jlip.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jlip.attack.AttackReport;
import org.jlip.attack.SampleOutcome;
import org.junit.jupiter.api.Test;

class ReportTablesTest {

  /** Hand-counted: class 0 has 3 samples (2 correct, 1 certified beyond 0.2, 1 unbroken below 0.2), class 2 one. */
  @Test
  void perClassRowsCountEachClassSamplesPerModel() {
    List<SampleOutcome> a = List.of(new SampleOutcome(0, 0, 0, 0.5, 0.9), new SampleOutcome(1, 0, 0, 0.1, 0.15),
        new SampleOutcome(2, 0, 1, -0.2, 0), new SampleOutcome(3, 2, 2, 0.3, Double.POSITIVE_INFINITY));
    List<SampleOutcome> b = List.of(new SampleOutcome(0, 0, 0, 0.05, 0.3), new SampleOutcome(1, 0, 0, 0.01, 0.25),
        new SampleOutcome(2, 0, 0, 0.02, 0.1), new SampleOutcome(3, 2, 0, -0.1, 0));
    Map<String, AttackReport> reports = new LinkedHashMap<>();
    reports.put("hkr", new AttackReport("hkr", a, List.of()));
    reports.put("base", new AttackReport("base", b, List.of()));
    Table t = ReportTables.perClass(reports, 0.2, List.of("shirt", "bag", "boot"));
    assertEquals(List.of("class", "samples", "hkr accuracy", "hkr provable", "hkr empirical", "base accuracy",
        "base provable", "base empirical"), t.header());
    assertEquals(List.of(List.of("0 shirt", "3", "66.67%", "33.33%", "33.33%", "100.00%", "0.00%", "66.67%"),
        List.of("2 boot", "1", "100.00%", "100.00%", "100.00%", "0.00%", "0.00%", "0.00%")), t.rows());
    // Too few names for the classes: labels only.
    assertEquals("0", ReportTables.perClass(reports, 0.2, List.of("shirt")).rows().get(0).get(0));
  }
}
