package org.jlip.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jlip.certify.CertificateRule;
import org.jlip.model.ModelBound;

/**
 * What an export needs besides the model: the Lipschitz constant and rule its {@code certify} signature uses, the
 * values recorded in its metadata, and whether it may replace an existing directory.
 *
 * @param lipschitz the constant L the certify signature divides by (the integrator passes the measured bound)
 * @param rule how a multi-class margin becomes a radius (DISJOINT or SQRT2; a one-logit model always certifies
 *     with BINARY, whatever this says)
 * @param nominalLipschitz what the construction claims, for the metadata (null or infinite: unbounded)
 * @param measuredLipschitz what the weights achieve, for the metadata (null: not measured)
 * @param classNames one name per output (null: the model spec's, or none)
 * @param trainingMetrics a JSON object recorded as is (null: none)
 * @param overwrite replace an existing target directory
 * @param layerBounds the per-layer bounds, recorded for jlip inspect (null: none)
 */
public record ExportOptions(
    double lipschitz,
    CertificateRule rule,
    Double nominalLipschitz,
    Double measuredLipschitz,
    List<String> classNames,
    JsonNode trainingMetrics,
    boolean overwrite,
    ModelBound layerBounds) {

  public ExportOptions {
    if (!(lipschitz > 0) || Double.isInfinite(lipschitz)) {
      throw new IllegalArgumentException("lipschitz must be a finite number > 0, got " + lipschitz);
    }
    if (rule == null) {
      throw new IllegalArgumentException("rule must be one of " + java.util.Arrays.toString(CertificateRule.values())
          + ", got null");
    }
    if (measuredLipschitz != null && !(measuredLipschitz > 0)) {
      throw new IllegalArgumentException("measuredLipschitz must be > 0, got " + measuredLipschitz);
    }
    if (trainingMetrics != null && !trainingMetrics.isObject()) {
      throw new IllegalArgumentException("trainingMetrics must be a JSON object, got " + trainingMetrics);
    }
    classNames = classNames == null ? null : List.copyOf(classNames);
  }

  /** Certify with constant L and the given rule; nothing else recorded, no overwrite. */
  public static ExportOptions of(double lipschitz, CertificateRule rule) {
    return new ExportOptions(lipschitz, rule, null, null, null, null, false, null);
  }

  /** Certify with the measured bound, the rule it implies, and both constants recorded. */
  public static ExportOptions fromBound(ModelBound bound) {
    CertificateRule rule = bound.perOutput() ? CertificateRule.DISJOINT : CertificateRule.SQRT2;
    return new ExportOptions(bound.measured(), rule, bound.nominal(),
        bound.measured(), null, null, false, bound);
  }

  /**
   * True when the certify signature uses the pairwise radius of a disjoint head: the rule is DISJOINT, the
   * neuron norms are known and the certificate divides by the measured bound (not by a nominal override).
   */
  public boolean pairwise(CertificateRule effectiveRule) {
    return effectiveRule == CertificateRule.DISJOINT && layerBounds != null && layerBounds.pairwise()
        && lipschitz == layerBounds.measured();
  }

  public ExportOptions withOverwrite(boolean newOverwrite) {
    return new ExportOptions(lipschitz, rule, nominalLipschitz, measuredLipschitz, classNames, trainingMetrics,
        newOverwrite, layerBounds);
  }

  public ExportOptions withClassNames(List<String> names) {
    return new ExportOptions(lipschitz, rule, nominalLipschitz, measuredLipschitz, names, trainingMetrics,
        overwrite, layerBounds);
  }

  public ExportOptions withTrainingMetrics(JsonNode metrics) {
    return new ExportOptions(lipschitz, rule, nominalLipschitz, measuredLipschitz, classNames, metrics,
        overwrite, layerBounds);
  }
}
