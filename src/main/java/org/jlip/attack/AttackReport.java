package org.jlip.attack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jlip.io.AtomicFiles;

/**
 * Certificates beside attacks for one model: per sample the certified radius and the smallest adversarial norm
 * found, and per eps the provable robust accuracy (radius > eps) beside the empirical one (correct and no attack
 * broke the sample within eps). An adversarial example below a certified radius is a soundness violation.
 */
public record AttackReport(String model, List<SampleOutcome> samples, List<RobustnessAtEps> rows) {

  /** Slack of the soundness check: float32 rounding of logits and norms. */
  public static final double SOUNDNESS_TOLERANCE = 1e-4;

  public AttackReport {
    samples = List.copyOf(samples);
    rows = List.copyOf(rows);
  }

  /**
   * Builds the report from per-sample arrays.
   *
   * @param radii certified radii against the true labels, from the caller's certificate
   * @param minimalNorms smallest adversarial norms (e.g. {@link MinimalNormResult#norm()}), or null
   * @param pgdRuns PGD runs at fixed radii on the same samples (may be empty); a success at eps' counts for
   *     every eps >= eps', and its norm lowers the sample's smallest adversarial norm
   * @param epsGrid the radii of the summary rows
   */
  public static AttackReport of(String model, int[] labels, int[] predictions, double[] radii,
      double[] minimalNorms, List<PgdResult> pgdRuns, double[] epsGrid) {
    int n = labels.length;
    if (predictions.length != n || radii.length != n || (minimalNorms != null && minimalNorms.length != n)) {
      throw new IllegalArgumentException("labels, predictions, radii and minimalNorms must have the same length "
          + n + ", got " + predictions.length + ", " + radii.length + ", "
          + (minimalNorms == null ? "null" : minimalNorms.length));
    }
    double[] best = new double[n];
    Arrays.fill(best, Double.POSITIVE_INFINITY);
    for (int i = 0; i < n; i++) {
      if (minimalNorms != null) {
        best[i] = minimalNorms[i];
      }
      if (predictions[i] != labels[i]) {
        best[i] = 0;
      }
    }
    for (PgdResult r : pgdRuns) {
      if (r.size() != n) {
        throw new IllegalArgumentException("PGD run at eps " + r.eps() + " has " + r.size() + " samples, not " + n);
      }
      for (int i = 0; i < n; i++) {
        if (r.success()[i]) {
          best[i] = Math.min(best[i], r.norm()[i]);
        }
      }
    }
    List<SampleOutcome> samples = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      samples.add(new SampleOutcome(i, labels[i], predictions[i], radii[i], best[i]));
    }
    List<RobustnessAtEps> rows = new ArrayList<>();
    for (double eps : epsGrid) {
      int provable = 0;
      int empirical = 0;
      for (int i = 0; i < n; i++) {
        provable += radii[i] > eps ? 1 : 0;
        boolean broken = predictions[i] != labels[i] || best[i] <= eps;
        for (PgdResult r : pgdRuns) {
          broken |= r.eps() <= eps && r.success()[i];
        }
        empirical += broken ? 0 : 1;
      }
      rows.add(new RobustnessAtEps(eps, n == 0 ? 0 : (double) provable / n, n == 0 ? 0 : (double) empirical / n));
    }
    return new AttackReport(model, samples, rows);
  }

  /** From a minimal-norm attack's labels, clean predictions and norms. */
  public static AttackReport of(String model, MinimalNormResult attack, double[] radii, List<PgdResult> pgdRuns,
      double[] epsGrid) {
    return of(model, attack.labels(), attack.cleanPrediction(), radii, attack.norm(), pgdRuns, epsGrid);
  }

  /** Fraction of samples correctly classified. */
  public double accuracy() {
    return samples.isEmpty() ? 0 : samples.stream().filter(SampleOutcome::correct).count() / (double) samples.size();
  }

  /** Mean of max(radius, 0) over all samples (misclassified ones count 0). */
  public double meanCertifiedRadius() {
    return samples.stream().mapToDouble(s -> Math.max(s.certifiedRadius(), 0)).average().orElse(0);
  }

  /** Median smallest adversarial norm over all samples (+infinity when most were never broken). */
  public double medianAdversarialNorm() {
    double[] v = samples.stream().mapToDouble(SampleOutcome::adversarialNorm).sorted().toArray();
    return v.length == 0 ? Double.NaN : v[v.length / 2];
  }

  /** Samples with an adversarial example of norm < certified radius - {@value #SOUNDNESS_TOLERANCE}. */
  public List<Violation> violations() {
    return samples.stream()
        .filter(s -> s.adversarialNorm() < s.certifiedRadius() - SOUNDNESS_TOLERANCE)
        .map(s -> new Violation(s.index(), s.label(), s.certifiedRadius(), s.adversarialNorm()))
        .toList();
  }

  /** Writes summary, rows, violations and samples as JSON (infinite norms as null), atomically. */
  public void writeJson(Path path) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("model", model);
    root.put("samples", samples.size());
    root.put("accuracy", accuracy());
    root.put("meanCertifiedRadius", meanCertifiedRadius());
    putFinite(root, "medianAdversarialNorm", medianAdversarialNorm());
    ArrayNode rowsNode = root.putArray("robustAccuracy");
    for (RobustnessAtEps r : rows) {
      rowsNode.addObject().put("eps", r.eps()).put("provable", r.provable()).put("empirical", r.empirical());
    }
    root.put("violations", violations().size());
    ArrayNode sampleNode = root.putArray("perSample");
    for (SampleOutcome s : samples) {
      ObjectNode o = sampleNode.addObject().put("index", s.index()).put("label", s.label())
          .put("prediction", s.prediction()).put("certifiedRadius", s.certifiedRadius());
      putFinite(o, "adversarialNorm", s.adversarialNorm());
    }
    AtomicFiles.write(path, mapper.writeValueAsBytes(root));
  }

  /** Writes one line per sample: index,label,prediction,certified_radius,adversarial_norm (inf when none). */
  public void writeCsv(Path path) throws IOException {
    StringBuilder sb = new StringBuilder("index,label,prediction,certified_radius,adversarial_norm\n");
    for (SampleOutcome s : samples) {
      sb.append(s.index()).append(',').append(s.label()).append(',').append(s.prediction()).append(',')
          .append(number(s.certifiedRadius())).append(',').append(number(s.adversarialNorm())).append('\n');
    }
    AtomicFiles.writeString(path, sb.toString());
  }

  /** Writes one line per eps: eps,provable,empirical. */
  public void writeSummaryCsv(Path path) throws IOException {
    StringBuilder sb = new StringBuilder("eps,provable,empirical\n");
    for (RobustnessAtEps r : rows) {
      sb.append(number(r.eps())).append(',').append(number(r.provable())).append(',')
          .append(number(r.empirical())).append('\n');
    }
    AtomicFiles.writeString(path, sb.toString());
  }

  private static void putFinite(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) {
      o.put(field, v);
    } else {
      o.putNull(field);
    }
  }

  private static String number(double v) {
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return String.format(Locale.ROOT, "%.6g", v);
  }
}
