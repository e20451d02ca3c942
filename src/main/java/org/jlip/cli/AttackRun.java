package org.jlip.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jlip.attack.AttackReport;
import org.jlip.attack.MinimalNorm;
import org.jlip.attack.MinimalNormConfig;
import org.jlip.attack.MinimalNormResult;
import org.jlip.attack.Pgd;
import org.jlip.attack.PgdConfig;
import org.jlip.attack.PgdResult;
import org.jlip.certify.CertificationReport;
import org.jlip.data.DataSpec;
import org.jlip.data.Images;
import org.jlip.data.NpyWriter;
import org.jlip.report.Curve;
import org.jlip.report.Curves;
import org.jlip.report.ImageGrid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attacks one model on the first n samples: the minimal-norm attack (each sample's empirical robustness radius)
 * and PGD at each eps, beside the certified radius (measured bound) of every sample; writes attack.json,
 * attack.csv, summary.csv, adversarial.npy (the minimal-norm attack's point per sample, [n, H, W, C]; the clean
 * input where it found none), grid.png (originals, adversarial examples, differences) and curves.png, all at once
 * ({@link AttackOutputs}).
 */
final class AttackRun {
  private static final Logger LOG = LoggerFactory.getLogger(AttackRun.class);
  static final int GRID_SAMPLES = 8;

  final String name;
  final AttackReport report;
  final CertificationReport certificates;

  private AttackRun(String name, AttackReport report, CertificationReport certificates) {
    this.name = name;
    this.report = report;
    this.certificates = certificates;
  }

  /** Attacks and writes dir, replacing an earlier attack's outputs there when overwrite is set. */
  static AttackRun run(String name, AttackTarget t, DataSpec data, int n, double[] eps, int pgdSteps, Path dir,
      boolean overwrite) throws IOException {
    if (data.labels() == null) {
      throw new IllegalArgumentException("attacks need labels: " + data.spec() + " has none (pass --labels)");
    }
    Images images = data.images();
    int count = Math.min(n, images.count());
    float[] x = Arrays.copyOf(images.pixels(), count * images.imageSize());
    int[] y = Arrays.copyOf(data.labels(), count);
    float[] logits = t.certified.logits(x, count);
    CertificationReport cert = CertificationReport.of(t.certified, logits, count, y, eps);
    double[] radii = new double[count];
    for (int i = 0; i < count; i++) {
      radii[i] = cert.radiusVsLabel()[i];
    }
    LOG.info("{}: minimal-norm attack on {} samples", name, count);
    MinimalNormResult minimal = MinimalNorm.run(t.classifier, x, y, MinimalNormConfig.defaults());
    List<PgdResult> pgd = new ArrayList<>();
    for (double e : eps) {
      LOG.info("{}: PGD-{} at eps {}", name, pgdSteps, e);
      pgd.add(Pgd.run(t.classifier, x, y, PgdConfig.of(e, pgdSteps)));
    }
    AttackReport report = AttackReport.of(name, minimal, radii, pgd, eps);
    int[] shown = java.util.stream.IntStream.range(0, count).filter(i -> minimal.found(i) && y[i]
        == minimal.cleanPrediction()[i]).limit(GRID_SAMPLES).toArray();
    AttackOutputs.write(dir, overwrite, out -> {
      report.writeJson(out.resolve("attack.json"));
      report.writeCsv(out.resolve("attack.csv"));
      report.writeSummaryCsv(out.resolve("summary.csv"));
      NpyWriter.write(out.resolve("adversarial.npy"), minimal.adversarial(),
          new long[] {count, images.height(), images.width(), images.channels()});
      if (shown.length > 0) {
        ImageGrid.write(out.resolve("grid.png"), ImageGrid.samples(x, minimal.adversarial(), images.imageSize(),
            shown, y, minimal.adversarialPrediction(), data.classNames()), images.height(), images.width(),
            images.channels(), 4);
      }
      Curves.write(out.resolve("curves.png"), Curve.of(name, report, 0));
    });
    if (!report.violations().isEmpty()) {
      LOG.error("{}: {} adversarial examples found INSIDE their certified radius (a bug): first {}", name,
          report.violations().size(), report.violations().get(0));
    }
    return new AttackRun(name, report, cert);
  }
}
