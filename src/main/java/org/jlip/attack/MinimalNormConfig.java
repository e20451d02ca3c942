package org.jlip.attack;

/**
 * Settings of the minimal-norm L2 attack ({@link MinimalNorm}).
 *
 * @param deepFoolSteps DeepFool iterations (>= 1)
 * @param overshoot DeepFool's overshoot factor (>= 0; the line search removes what it adds)
 * @param lineSearchSteps bisection steps along each DeepFool perturbation (>= 0)
 * @param searchSteps bisection steps of the PGD search on eps (>= 0; 0 = DeepFool and line search only)
 * @param pgdSteps PGD steps per search probe (>= 1)
 * @param maxEps upper end of the PGD search for samples DeepFool did not break (finite, > 0)
 * @param clipMin lower end of the input box (-infinity: none)
 * @param clipMax upper end of the input box (+infinity: none)
 * @param batchSize samples per graph run (>= 1)
 */
public record MinimalNormConfig(int deepFoolSteps, double overshoot, int lineSearchSteps, int searchSteps,
    int pgdSteps, double maxEps, double clipMin, double clipMax, int batchSize) {

  public MinimalNormConfig {
    if (deepFoolSteps < 1) {
      throw new IllegalArgumentException("deepFoolSteps must be >= 1, got " + deepFoolSteps);
    }
    if (!(overshoot >= 0) || Double.isInfinite(overshoot)) {
      throw new IllegalArgumentException("overshoot must be finite and >= 0, got " + overshoot);
    }
    if (lineSearchSteps < 0) {
      throw new IllegalArgumentException("lineSearchSteps must be >= 0, got " + lineSearchSteps);
    }
    if (searchSteps < 0) {
      throw new IllegalArgumentException("searchSteps must be >= 0, got " + searchSteps);
    }
    if (pgdSteps < 1) {
      throw new IllegalArgumentException("pgdSteps must be >= 1, got " + pgdSteps);
    }
    if (!(maxEps > 0) || Double.isInfinite(maxEps)) {
      throw new IllegalArgumentException("maxEps must be finite and > 0, got " + maxEps);
    }
    if (!(clipMin < clipMax)) {
      throw new IllegalArgumentException("clipMin must be < clipMax, got " + clipMin + " and " + clipMax);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
  }

  /** 50 DeepFool steps, overshoot 0.02, 10 line-search steps, 10 PGD probes of 20 steps up to eps 10, box [0, 1]. */
  public static MinimalNormConfig defaults() {
    return new MinimalNormConfig(50, 0.02, 10, 10, 20, 10, 0, 1, 256);
  }

  public MinimalNormConfig withSearch(int newSearchSteps, int newPgdSteps, double newMaxEps) {
    return new MinimalNormConfig(deepFoolSteps, overshoot, lineSearchSteps, newSearchSteps, newPgdSteps,
        newMaxEps, clipMin, clipMax, batchSize);
  }

  public MinimalNormConfig withBox(double newClipMin, double newClipMax) {
    return new MinimalNormConfig(deepFoolSteps, overshoot, lineSearchSteps, searchSteps, pgdSteps, maxEps,
        newClipMin, newClipMax, batchSize);
  }

  /** No box: the analytic distances of linear models assume unconstrained inputs. */
  public MinimalNormConfig withoutClipping() {
    return withBox(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
  }

  public MinimalNormConfig withBatchSize(int newBatchSize) {
    return new MinimalNormConfig(deepFoolSteps, overshoot, lineSearchSteps, searchSteps, pgdSteps, maxEps,
        clipMin, clipMax, newBatchSize);
  }
}
