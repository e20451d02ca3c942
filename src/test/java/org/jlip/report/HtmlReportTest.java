package org.jlip.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jlip.attack.AttackReport;
import org.jlip.layers.LayerBound;
import org.jlip.model.ModelBound;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

  @Test
  void pageHoldsTheTablesAndRelativeImageLinks(@TempDir Path dir) throws Exception {
    int[] labels = {0, 1, 1, 0};
    int[] predictions = {0, 1, 0, 0};
    double[] eps = {0, 0.25};
    Map<String, AttackReport> reports = new LinkedHashMap<>();
    reports.put("hkr", AttackReport.of("hkr", labels, predictions, new double[] {0.3, 0.2, -0.1, 0.5},
        new double[] {0.9, 0.6, 0, 0.8}, List.of(), eps));
    reports.put("baseline", AttackReport.of("baseline", labels, labels, new double[] {0.01, 0, 0, 0},
        new double[] {0.1, 0.2, 0.3, 0.4}, List.of(), eps));
    Map<String, ModelBound> bounds = new LinkedHashMap<>();
    bounds.put("hkr", new ModelBound(List.of("d"), List.of(new LayerBound(1.0, 1.0249, 1.0249, "svd", false)),
        false));
    List<Table> tables = List.of(ReportTables.accuracy(reports), ReportTables.robustAccuracy(reports),
        ReportTables.lipschitzBounds(bounds));
    assertEquals(List.of("0.25", "50.00%", "75.00%", "0.00%", "50.00%"), tables.get(1).rows().get(1));
    Path html = dir.resolve("report.html");
    HtmlReport.write(html, "Robustness <HKR> & baseline", tables,
        List.of(new Figure("curves", "curves.png"), new Figure("adversarial examples", "img/grid.png")));
    String page = Files.readString(html);
    assertTrue(page.contains("<title>Robustness &lt;HKR&gt; &amp; baseline</title>"), page);
    assertEquals(3, page.split("<table>", -1).length - 1);
    assertTrue(page.contains("<caption>Provable and empirical robust accuracy per L2 radius</caption>"));
    assertTrue(page.contains("<th>hkr provable</th><th>hkr empirical</th><th>baseline provable</th>"));
    assertTrue(page.contains("<td>hkr</td><td>4</td><td>75.00%</td>"), page);
    assertTrue(page.contains("<td>1.025</td>"), page);
    assertEquals("0", ReportTables.number(0));
    assertEquals("0.05", ReportTables.number(0.05));
    assertEquals("inf", ReportTables.number(Double.POSITIVE_INFINITY));
    assertTrue(page.contains("<img src=\"curves.png\"") && page.contains("<img src=\"img/grid.png\""));
  }

  @Test
  void refusesAbsoluteFigurePathsAndRaggedTables() {
    assertThrows(IllegalArgumentException.class, () -> new Figure("x", "/tmp/a.png"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Table("t", List.of("a", "b"), List.of(List.of("1"))));
    assertTrue(e.getMessage().contains("row 0"), e.getMessage());
  }
}
