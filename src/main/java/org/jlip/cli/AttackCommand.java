package org.jlip.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jlip.attack.RobustnessAtEps;
import org.jlip.data.DataSpec;
import org.jlip.train.TrainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** jlip attack: tests a model's certificates with L2 attacks. */
@Command(name = "attack", mixinStandardHelpOptions = true,
    description = "Attack a model (jlip run or export, Keras SavedModel, Keras/deel-lip .keras or .h5, ONNX) with a"
        + " minimal-norm L2 attack and PGD: per sample the certified radius and the smallest adversarial example"
        + " found; empirical beside provable robust accuracy per eps. Exits 1 if an attack succeeds inside a"
        + " certified radius.")
public final class AttackCommand implements Callable<Integer> {

  @Option(names = "--model", required = true, description = "model to attack")
  Path model;

  @Option(names = "--data", defaultValue = "fashion-mnist:test",
      description = "data spec, as certify's --data (default: ${DEFAULT-VALUE})")
  String data;

  @Option(names = "--labels", description = "labels file (IDX or .npy: class indices, or one-hot rows) when"
      + " --data has none")
  Path labels;

  @Option(names = "--n", defaultValue = "1000", description = "samples to attack (default: ${DEFAULT-VALUE})")
  int n;

  @Option(names = "--eps", split = ",", converter = RadiusConverter.class, description = "PGD radii (default 0.1, 36/255, 0.25, 0.5, 1.0)")
  List<Double> eps;

  @Option(names = "--steps", defaultValue = "20", description = "PGD steps (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--out", required = true, description = "output folder")
  Path out;

  @Option(names = "--overwrite", description = "replace the outputs of an earlier attack in --out")
  boolean overwrite;

  @Override
  public Integer call() throws IOException {
    CliChecks.atLeastOne("--n", n);
    CliChecks.radii(eps);
    AttackOutputs.checkReplaceable(out, overwrite);
    DataSpec d = DataSpec.load(data, labels);
    double[] e = (eps == null ? TrainOptions.DEFAULT_EPS : eps).stream().mapToDouble(Double::doubleValue).toArray();
    try (AttackTarget t = AttackTarget.open(model, d)) {
      AttackRun r = AttackRun.run(model.getFileName().toString(), t, t.data, n, e, steps, out, overwrite);
      System.out.print(summary(r));
      return r.report.violations().isEmpty() ? 0 : 1;
    }
  }

  static String summary(AttackRun r) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "%s: %d samples, accuracy %.2f%%, mean certified radius %.4f, median adversarial norm %.4f,"
            + " violations %d%n%8s %10s %10s%n", r.name, r.report.samples().size(), 100 * r.report.accuracy(),
        r.report.meanCertifiedRadius(), r.report.medianAdversarialNorm(), r.report.violations().size(), "eps",
        "provable", "empirical"));
    for (RobustnessAtEps row : r.report.rows()) {
      b.append(String.format(Locale.ROOT, "%8.4f %9.2f%% %9.2f%%%n", row.eps(), 100 * row.provable(),
          100 * row.empirical()));
    }
    return b.toString();
  }
}
