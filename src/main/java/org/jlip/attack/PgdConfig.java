package org.jlip.attack;

/**
 * Settings of the L2 PGD attack.
 *
 * @param eps radius of the L2 ball around each input (> 0)
 * @param steps gradient steps (>= 1)
 * @param stepSize L2 length of each normalised gradient step (> 0); {@link #of} uses 2.5 eps / steps
 * @param randomStart start from a uniform point of the ball instead of the input
 * @param seed seed of the random start (batch b uses seed + b, so results do not depend on batch order)
 * @param clipMin lower end of the input box (-infinity: none)
 * @param clipMax upper end of the input box (+infinity: none)
 * @param batchSize samples per graph run (>= 1)
 */
public record PgdConfig(double eps, int steps, double stepSize, boolean randomStart, long seed, double clipMin,
    double clipMax, int batchSize) {

  public PgdConfig {
    if (!(eps > 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException("eps must be finite and > 0, got " + eps);
    }
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    if (!(stepSize > 0) || Double.isInfinite(stepSize)) {
      throw new IllegalArgumentException("stepSize must be finite and > 0, got " + stepSize);
    }
    if (!(clipMin < clipMax)) {
      throw new IllegalArgumentException("clipMin must be < clipMax, got " + clipMin + " and " + clipMax);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
  }

  /** eps and steps with step size 2.5 eps / steps, no random start, box [0, 1], batches of 256. */
  public static PgdConfig of(double eps, int steps) {
    return new PgdConfig(eps, steps, 2.5 * eps / steps, false, 0, 0, 1, 256);
  }

  public PgdConfig withRandomStart(long newSeed) {
    return new PgdConfig(eps, steps, stepSize, true, newSeed, clipMin, clipMax, batchSize);
  }

  public PgdConfig withBox(double newClipMin, double newClipMax) {
    return new PgdConfig(eps, steps, stepSize, randomStart, seed, newClipMin, newClipMax, batchSize);
  }

  /** No box: the analytic distances of linear models assume unconstrained inputs. */
  public PgdConfig withoutClipping() {
    return withBox(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
  }

  public PgdConfig withBatchSize(int newBatchSize) {
    return new PgdConfig(eps, steps, stepSize, randomStart, seed, clipMin, clipMax, newBatchSize);
  }

  /** The step as a fraction of eps, so per-sample radii (binary search) keep the same schedule. */
  double relativeStep() {
    return stepSize / eps;
  }
}
