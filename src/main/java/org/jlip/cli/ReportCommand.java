package org.jlip.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jlip.attack.AttackReport;
import org.jlip.data.DataSpec;
import org.jlip.model.ModelBound;
import org.jlip.report.Curve;
import org.jlip.report.Curves;
import org.jlip.report.Figure;
import org.jlip.report.HtmlReport;
import org.jlip.report.ReportTables;
import org.jlip.report.Table;
import org.jlip.train.TrainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** jlip report: attacks several models and writes an HTML page comparing their robustness. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Attack each --model NAME=PATH on the same samples and write DIR/report.html: accuracy,"
        + " provable and empirical robust accuracy per eps, Lipschitz bounds, robustness curves and pictures of"
        + " adversarial examples.")
public final class ReportCommand implements Callable<Integer> {

  @Option(names = "--model", required = true, description = "NAME=PATH, repeatable (e.g. hkr=runs/hkr baseline=runs/base)")
  List<String> models;

  @Option(names = "--data", defaultValue = "fashion-mnist:test",
      description = "data spec, as certify's --data (default: ${DEFAULT-VALUE})")
  String data;

  @Option(names = "--n", defaultValue = "500", description = "samples per model (default: ${DEFAULT-VALUE})")
  int n;

  @Option(names = "--labels", description = "labels file (IDX or .npy: class indices, or one-hot rows) when"
      + " --data has none")
  Path labels;

  @Option(names = "--steps", defaultValue = "20", description = "PGD steps (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--out", required = true, description = "output folder")
  Path out;

  @Override
  public Integer call() throws IOException {
    Map<String, Path> named = CliChecks.namedModels(models);
    CliChecks.atLeastOne("--n", n);
    // A report is regenerated in place, as before: its model folders may hold an earlier report's attack outputs.
    for (String name : named.keySet()) {
      AttackOutputs.checkReplaceable(out.resolve(name), true);
    }
    DataSpec d = DataSpec.load(data, labels);
    double[] eps = {0.05, 0.1, 36.0 / 255, 0.25, 0.5, 0.75, 1.0, 1.5};
    Map<String, AttackReport> reports = new LinkedHashMap<>();
    Map<String, ModelBound> bounds = new LinkedHashMap<>();
    List<Curve> curves = new ArrayList<>();
    List<Figure> figures = new ArrayList<>();
    int violations = 0;
    for (Map.Entry<String, Path> m : named.entrySet()) {
      try (AttackTarget t = AttackTarget.open(m.getValue(), d)) {
        AttackRun r = AttackRun.run(m.getKey(), t, t.data, n, eps, steps, out.resolve(m.getKey()), true);
        System.out.print(AttackCommand.summary(r));
        reports.put(m.getKey(), r.report);
        bounds.put(m.getKey(), t.certified.bound());
        curves.addAll(Curve.of(m.getKey(), r.report, curves.size() / 2));
        violations += r.report.violations().size();
        if (Files.exists(out.resolve(m.getKey()).resolve("grid.png"))) {
          figures.add(new Figure(m.getKey() + ": originals, smallest adversarial examples found, differences",
              m.getKey() + "/grid.png"));
        }
      }
    }
    Curves.write(out.resolve("curves.png"), "Provable (solid) and empirical (dashed) robust accuracy", curves,
        Curves.WIDTH, Curves.HEIGHT);
    figures.add(0, new Figure("Robust accuracy against the L2 radius eps", "curves.png"));
    List<Table> tables = List.of(ReportTables.accuracy(reports), ReportTables.robustAccuracy(reports),
        ReportTables.perClass(reports, 36.0 / 255, d.classNames()), ReportTables.lipschitzBounds(bounds));
    HtmlReport.write(out.resolve("report.html"), "jlip robustness report (" + data + ", " + n + " samples)",
        tables, figures);
    System.out.println("report: " + out.resolve("report.html"));
    return violations == 0 ? 0 : 1;
  }
}
