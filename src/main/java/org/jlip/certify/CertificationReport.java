package org.jlip.certify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.jlip.io.AtomicFiles;
import java.util.List;
import org.jlip.layers.LayerBound;
import org.jlip.model.ModelBound;

/**
 * Per-sample certificates of a data set and their summary, with the measured bound (sound) and, where the model
 * claims one, the nominal constant (what other libraries report).
 *
 * @param predicted predicted class per sample
 * @param margin top-1 minus top-2 logit (|f| for one logit)
 * @param radius certified radius of the predicted class with the measured bound (>= 0; pairwise for a disjoint
 *     head whose neuron norms are known)
 * @param labels true labels, or null
 * @param radiusVsLabel radius against the true label with the measured bound (<= 0 when misclassified), or null
 * @param measured summary against the labels with the measured bound (null without labels)
 * @param nominal summary against the labels with the nominal constant (null without labels or nominal)
 */
public record CertificationReport(
    String source,
    CertificateRule rule,
    Double nominalLipschitz,
    ModelBound bound,
    long[] predicted,
    float[] margin,
    float[] radius,
    int[] labels,
    float[] radiusVsLabel,
    RobustnessSummary measured,
    RobustnessSummary nominal) {

  /** Labels must be classes of the model: a mismatch (a 3-class model on 10-class data) is the caller's error. */
  private static void checkLabels(CertifiedModel model, int[] labels, int n, int classes) {
    if (labels.length < n) {
      throw new IllegalArgumentException(labels.length + " labels for " + n + " samples");
    }
    for (int i = 0; i < n; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("label " + labels[i] + " of sample " + i + " is not a class of "
            + model.source() + ", which has " + classes + " classes (0.." + (classes - 1) + "); use data whose"
            + " labels match the model (for a binary model, --labels with 0/1 labels)");
      }
    }
  }

  /** Certifies {@code logits} ([n, outputs] row-major) with the model's measured bound. */
  public static CertificationReport of(CertifiedModel model, float[] logits, int n, int[] labels, double[] eps) {
    int k = model.outputs();
    ModelBound bound = model.bound();
    CertificateRule rule = model.rule();
    PredictedRadii pred = Radii.predicted(logits, n, k, rule, bound);
    float[] margin = new float[n];
    for (int i = 0; i < n; i++) {
      margin[i] = margin(logits, i, k);
    }
    float[] vsLabel = null;
    RobustnessSummary measured = null;
    RobustnessSummary nominal = null;
    if (labels != null) {
      checkLabels(model, labels, n, Math.max(k, 2));
      vsLabel = Radii.againstLabels(logits, labels, k, rule, bound);
      measured = CertificatesJava.summarize(vsLabel, eps);
      Double nominalL = model.nominalLipschitz();
      if (nominalL != null && Double.isFinite(nominalL)) {
        ModelBound plain = new ModelBound(List.of("nominal"),
            List.of(new LayerBound(nominalL, nominalL, nominalL, "nominal", bound.perOutput())), bound.perOutput());
        nominal = CertificatesJava.summarize(Radii.againstLabels(logits, labels, k, rule, plain), eps);
      }
    }
    return new CertificationReport(model.source(), rule, model.nominalLipschitz(), bound, pred.labels(),
        margin, pred.radius(), labels, vsLabel, measured, nominal);
  }

  /** Top-1 minus top-2 logit of sample i; |f| for one logit. */
  private static float margin(float[] logits, int i, int k) {
    if (k == 1) {
      return Math.abs(logits[i]);
    }
    float first = Float.NEGATIVE_INFINITY;
    float second = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      float v = logits[i * k + j];
      if (v > first) {
        second = first;
        first = v;
      } else if (v > second) {
        second = v;
      }
    }
    return first - second;
  }

  /** Mean certified radius of the predicted classes (no labels needed). */
  public double meanPredictedRadius() {
    double s = 0;
    for (float r : radius) {
      s += r;
    }
    return radius.length == 0 ? 0 : s / radius.length;
  }

  /** Per true class, with the measured bound; empty without labels. */
  public List<ClassRobustness> perClass(List<String> classNames) {
    return labels == null ? List.of() : ClassRobustness.of(Arrays.copyOf(labels, radius.length), radiusVsLabel,
        measured.eps(), classNames);
  }

  /**
   * The report as JSON (summary, per-class rows, per-layer bound, per-sample rows), written atomically;
   * {@code classNames} (or null) name the classes of the per-class rows.
   */
  public void writeJson(Path file, List<String> classNames) throws IOException {
    ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = m.createObjectNode();
    root.put("model", source);
    root.put("rule", rule.name());
    root.put("samples", radius.length);
    ObjectNode lip = root.putObject("lipschitz");
    if (nominalLipschitz != null && Double.isFinite(nominalLipschitz)) {
      lip.put("nominal", nominalLipschitz);
    } else {
      lip.putNull("nominal");
    }
    lip.put("measured", bound.measured());
    lip.put("method", "product of per-layer bounds from the weights (SVD for dense, 2-D DFT for convolutions)");
    root.put("radius", rule == CertificateRule.BINARY ? "|f| / L" : bound.pairwise()
        ? "min_j (f_i - f_j) / (L_body (|w_i| + |w_j|)), L_body = " + bound.measuredBody()
        : "(f_top1 - f_top2) / (" + (rule == CertificateRule.DISJOINT ? "2" : "sqrt(2)") + " L)");
    ArrayNode layers = lip.putArray("layers");
    for (int i = 0; i < bound.layers().size(); i++) {
      ObjectNode l = layers.addObject();
      l.put("name", bound.layerNames().get(i));
      l.put("measured", bound.layers().get(i).measured());
      l.put("estimate", bound.layers().get(i).estimate());
      l.put("method", bound.layers().get(i).method());
    }
    root.put("meanPredictedRadius", meanPredictedRadius());
    if (measured != null) {
      root.set("measured", summaryJson(m, measured));
    }
    if (nominal != null) {
      root.set("nominal", summaryJson(m, nominal));
    }
    if (labels != null) {
      ArrayNode classes = root.putArray("perClass");
      for (ClassRobustness c : perClass(classNames)) {
        ObjectNode o = summaryJson(m, c.summary());
        o.put("label", c.label());
        if (c.name() != null) {
          o.put("name", c.name());
        }
        o.put("samples", c.samples());
        classes.add(o);
      }
    }
    ArrayNode rows = root.putArray("perSample");
    for (int i = 0; i < radius.length; i++) {
      ObjectNode r = rows.addObject();
      r.put("index", i);
      r.put("predicted", predicted[i]);
      r.put("margin", margin[i]);
      r.put("radius", radius[i]);
      if (labels != null) {
        r.put("label", labels[i]);
        r.put("radiusVsLabel", radiusVsLabel[i]);
      }
    }
    AtomicFiles.writeString(file, m.writeValueAsString(root) + "\n");
  }

  /** One row per sample: index, predicted, margin, radius[, label, radius against the label]. */
  public void writeCsv(Path file) throws IOException {
    StringBuilder b = new StringBuilder(labels == null ? "index,predicted,margin,radius\n"
        : "index,predicted,margin,radius,label,radius_vs_label\n");
    for (int i = 0; i < radius.length; i++) {
      b.append(i).append(',').append(predicted[i]).append(',').append(margin[i]).append(',').append(radius[i]);
      if (labels != null) {
        b.append(',').append(labels[i]).append(',').append(radiusVsLabel[i]);
      }
      b.append('\n');
    }
    AtomicFiles.writeString(file, b.toString());
  }

  /**
   * The terminal summary: accuracy and provable robust accuracy per eps, nominal and measured, then per class (up
   * to {@link #MAX_CLASS_ROWS} classes) with the measured bound.
   */
  public String table(List<String> classNames) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%s: %d samples, rule %s, L nominal %s, measured %.6f%n", source,
        radius.length, rule, nominalLipschitz == null ? "none" : String.format(Locale.ROOT, "%.6f",
            nominalLipschitz), bound.measured()));
    b.append(String.format(Locale.ROOT, "mean certified radius of the predicted class: %.4f%n",
        meanPredictedRadius()));
    if (measured == null) {
      return b.append("no labels: no accuracy or provable robust accuracy\n").toString();
    }
    b.append(String.format(Locale.ROOT, "accuracy %.2f%%%n%-30s", 100 * measured.accuracy(), "provable robust acc."));
    for (double e : measured.eps()) {
      b.append(String.format(Locale.ROOT, "%9.4f", e));
    }
    b.append(String.format(Locale.ROOT, "%13s%n", "mean radius"));
    if (nominal != null) {
      row(b, String.format(Locale.ROOT, "nominal L = %.4f", nominalLipschitz), nominal);
    }
    row(b, String.format(Locale.ROOT, "measured L = %.4f (sound)", bound.measured()), measured);
    List<ClassRobustness> classes = perClass(classNames);
    if (classes.size() > 1 && classes.size() <= MAX_CLASS_ROWS) {
      b.append(String.format(Locale.ROOT, "%-19s%8s%10s", "per class, sound L", "samples", "accuracy"));
      for (double e : measured.eps()) {
        b.append(String.format(Locale.ROOT, "%9.4f", e));
      }
      b.append(String.format(Locale.ROOT, "%13s%n", "mean radius"));
      for (ClassRobustness c : classes) {
        String name = c.label() + (c.name() == null ? "" : " " + c.name());
        b.append(String.format(Locale.ROOT, "  %-17s%8d%9.2f%%", name.length() > 17 ? name.substring(0, 17) : name,
            c.samples(), 100 * c.summary().accuracy()));
        Arrays.stream(c.summary().provableRobustAccuracy())
            .forEach(v -> b.append(String.format(Locale.ROOT, "%8.2f%%", 100 * v)));
        b.append(String.format(Locale.ROOT, "%13.4f%n", c.summary().provableAverageRobustness()));
      }
    }
    return b.toString();
  }

  /** More classes than this are left to the JSON report's perClass rows. */
  static final int MAX_CLASS_ROWS = 20;

  private static void row(StringBuilder b, String label, RobustnessSummary s) {
    b.append(String.format(Locale.ROOT, "%-30s", label));
    Arrays.stream(s.provableRobustAccuracy()).forEach(v -> b.append(String.format(Locale.ROOT, "%8.2f%%", 100 * v)));
    b.append(String.format(Locale.ROOT, "%13.4f%n", s.provableAverageRobustness()));
  }

  private static ObjectNode summaryJson(ObjectMapper m, RobustnessSummary s) {
    ObjectNode o = m.createObjectNode();
    o.put("accuracy", s.accuracy());
    o.set("eps", m.valueToTree(s.eps()));
    o.set("provableRobustAccuracy", m.valueToTree(s.provableRobustAccuracy()));
    o.put("meanCertifiedRadius", s.provableAverageRobustness());
    o.put("meanRadiusSigned", s.meanRadius());
    return o;
  }
}
