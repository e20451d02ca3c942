package org.jlip.cli;

import java.util.List;
import java.util.Locale;
import org.jlip.train.EpochMetrics;

/** Plain-text tables for the terminal. */
final class Tables {
  private Tables() {}

  /** Accuracy and provable robust accuracy per eps, with the nominal and the measured Lipschitz bound. */
  static String robustness(EpochMetrics m) {
    if (!m.validated()) {
      return String.format(Locale.ROOT, "%nEpoch %d was not validated (training loss %.4f)%n", m.epoch(),
          m.trainLoss());
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%nAfter epoch %d: accuracy %.2f%%, validation loss %.4f%n", m.epoch(),
        100 * m.valAccuracy(), m.valLoss()));
    sb.append(String.format(Locale.ROOT, "%-34s", "provable robust accuracy at eps"));
    for (double e : m.eps()) {
      sb.append(String.format(Locale.ROOT, "%9.4f", e));
    }
    sb.append(String.format(Locale.ROOT, "%14s%n", "mean radius"));
    if (Double.isFinite(m.lipschitzNominal())) {
      row(sb, String.format(Locale.ROOT, "nominal L = %.4f", m.lipschitzNominal()),
          m.provableRobustAccuracyNominal(), m.meanRadiusNominal());
    }
    row(sb, String.format(Locale.ROOT, "measured L = %.4f (sound)", m.lipschitzMeasured()),
        m.provableRobustAccuracy(), m.meanRadius());
    return sb.toString();
  }

  private static void row(StringBuilder sb, String label, List<Double> values, double meanRadius) {
    sb.append(String.format(Locale.ROOT, "%-34s", label));
    for (double v : values) {
      sb.append(String.format(Locale.ROOT, "%8.2f%%", 100 * v));
    }
    sb.append(String.format(Locale.ROOT, "%14.4f%n", meanRadius));
  }
}
