package org.jlip.attack;

import java.util.List;
import org.jlip.data.Dataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tests certificates against attacks: no adversarial example may be found below a certified radius. An empty
 * list does not prove the certificates (attacks are upper bounds), but any violation disproves them.
 */
public final class CertificateSoundness {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateSoundness.class);

  private CertificateSoundness() {}

  /** Attacks every sample with {@link MinimalNorm} (box [0, 1]) and lists the violated certificates. */
  public static List<Violation> check(Classifier c, Dataset data, double[] radii) {
    return check(c, data.images(), data.labels(), radii, MinimalNormConfig.defaults());
  }

  /**
   * @param radii certified radii against the true labels, one per sample
   * @return samples whose smallest adversarial norm is below radius - {@value AttackReport#SOUNDNESS_TOLERANCE}
   */
  public static List<Violation> check(Classifier c, float[] images, int[] labels, double[] radii,
      MinimalNormConfig cfg) {
    if (radii.length != labels.length) {
      throw new IllegalArgumentException("radii must have one entry per sample (" + labels.length + "), got "
          + radii.length);
    }
    MinimalNormResult r = MinimalNorm.run(c, images, labels, cfg);
    List<Violation> violations = AttackReport.of("soundness", r, radii, List.of(), new double[0]).violations();
    if (!violations.isEmpty()) {
      LOG.warn("{} of {} certificates violated, first: {}", violations.size(), labels.length, violations.get(0));
    }
    return violations;
  }
}
