package org.jlip.report;

import java.util.List;
import org.jlip.attack.AttackReport;
import org.jlip.attack.RobustnessAtEps;

/**
 * One line of a robustness chart: accuracy against eps.
 *
 * @param dashed drawn dashed (empirical curves) rather than solid (provable ones)
 * @param group curves of one group (one model) share a colour
 */
public record Curve(String name, double[] eps, double[] accuracy, boolean dashed, int group) {

  public Curve {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, got '" + name + "'");
    }
    if (eps == null || accuracy == null || eps.length != accuracy.length || eps.length == 0) {
      throw new IllegalArgumentException("eps and accuracy must be non-empty and of equal length, got "
          + (eps == null ? "null" : eps.length) + " and " + (accuracy == null ? "null" : accuracy.length));
    }
    if (group < 0) {
      throw new IllegalArgumentException("group must be >= 0, got " + group);
    }
    eps = eps.clone();
    accuracy = accuracy.clone();
  }

  /** The provable (solid) and empirical (dashed) curves of a report, named "model provable/empirical". */
  public static List<Curve> of(String model, AttackReport report, int group) {
    double[] eps = report.rows().stream().mapToDouble(RobustnessAtEps::eps).toArray();
    double[] provable = report.rows().stream().mapToDouble(RobustnessAtEps::provable).toArray();
    double[] empirical = report.rows().stream().mapToDouble(RobustnessAtEps::empirical).toArray();
    return List.of(new Curve(model + " provable", eps, provable, false, group),
        new Curve(model + " empirical", eps, empirical, true, group));
  }
}
