package org.jlip.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jlip.attack.AttackReport;
import org.jlip.attack.RobustnessAtEps;
import org.jlip.attack.SampleOutcome;
import org.jlip.model.ModelBound;

/** The standard tables of a robustness report; maps are read in iteration order (use a LinkedHashMap). */
public final class ReportTables {
  private ReportTables() {}

  /** Model, samples, accuracy, mean certified radius, median adversarial norm, soundness violations. */
  public static Table accuracy(Map<String, AttackReport> reports) {
    List<List<String>> rows = new ArrayList<>();
    reports.forEach((model, r) -> rows.add(List.of(model, Integer.toString(r.samples().size()),
        percent(r.accuracy()), number(r.meanCertifiedRadius()), number(r.medianAdversarialNorm()),
        Integer.toString(r.violations().size()))));
    return new Table("Accuracy", List.of("model", "samples", "accuracy", "mean certified radius",
        "median adversarial norm", "violations"), rows);
  }

  /** One row per eps of the first report, provable and empirical columns per model ("-" where eps is missing). */
  public static Table robustAccuracy(Map<String, AttackReport> reports) {
    List<String> header = new ArrayList<>(List.of("eps"));
    reports.keySet().forEach(m -> {
      header.add(m + " provable");
      header.add(m + " empirical");
    });
    List<List<String>> rows = new ArrayList<>();
    if (!reports.isEmpty()) {
      for (RobustnessAtEps first : reports.values().iterator().next().rows()) {
        List<String> row = new ArrayList<>(List.of(number(first.eps())));
        for (AttackReport r : reports.values()) {
          RobustnessAtEps at = r.rows().stream().filter(x -> x.eps() == first.eps()).findFirst().orElse(null);
          row.add(at == null ? "-" : percent(at.provable()));
          row.add(at == null ? "-" : percent(at.empirical()));
        }
        rows.add(row);
      }
    }
    return new Table("Provable and empirical robust accuracy per L2 radius", header, rows);
  }

  /**
   * Per true class: its samples, then per model the accuracy, the provable robust accuracy at {@code eps} and the
   * empirical one (no attack found below eps), so a class the averages hide shows. Classes are named from
   * {@code classNames} when it names them all (else by label).
   */
  public static Table perClass(Map<String, AttackReport> reports, double eps, List<String> classNames) {
    List<String> header = new ArrayList<>(List.of("class", "samples"));
    reports.keySet().forEach(m -> {
      header.add(m + " accuracy");
      header.add(m + " provable");
      header.add(m + " empirical");
    });
    List<List<String>> rows = new ArrayList<>();
    if (!reports.isEmpty()) {
      List<SampleOutcome> first = reports.values().iterator().next().samples();
      int classes = first.stream().mapToInt(SampleOutcome::label).max().orElse(-1) + 1;
      for (int c = 0; c < classes; c++) {
        int label = c;
        long n = first.stream().filter(o -> o.label() == label).count();
        if (n == 0) {
          continue;
        }
        List<String> row = new ArrayList<>(List.of(classNames != null && classNames.size() >= classes
            ? c + " " + classNames.get(c) : Integer.toString(c), Long.toString(n)));
        for (AttackReport r : reports.values()) {
          List<SampleOutcome> of = r.samples().stream().filter(o -> o.label() == label).toList();
          row.add(percent(of.stream().filter(o -> o.prediction() == label).count() / (double) of.size()));
          row.add(percent(of.stream().filter(o -> o.certifiedRadius() > eps).count() / (double) of.size()));
          row.add(percent(of.stream().filter(o -> o.prediction() == label && o.adversarialNorm() > eps).count()
              / (double) of.size()));
        }
        rows.add(row);
      }
    }
    return new Table("Per class at L2 radius " + number(eps) + " (provable: certified beyond it; empirical: no"
        + " attack found below it)", header, rows);
  }

  /** Model, nominal and measured Lipschitz bounds. */
  public static Table lipschitzBounds(Map<String, ModelBound> bounds) {
    List<List<String>> rows = new ArrayList<>();
    bounds.forEach((model, b) -> rows.add(List.of(model, number(b.nominal()), number(b.measured()))));
    return new Table("Lipschitz bounds", List.of("model", "nominal", "measured"), rows);
  }

  static String percent(double v) {
    return String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }

  /** Four significant digits without trailing zeros (0.05, not 0.05000). */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }
}
