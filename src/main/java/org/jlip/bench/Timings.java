package org.jlip.bench;

import java.util.Arrays;

/**
 * Order statistics of step times in milliseconds (nearest-rank percentiles on the sorted samples; the median of
 * an even count is the mean of the two middle samples).
 */
record Timings(int count, double medianMs, double p10Ms, double p90Ms) {

  static Timings of(double[] samplesMs) {
    if (samplesMs.length == 0) {
      throw new IllegalArgumentException("no samples to summarise");
    }
    double[] s = samplesMs.clone();
    Arrays.sort(s);
    int n = s.length;
    double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    return new Timings(n, median, rank(s, 0.10), rank(s, 0.90));
  }

  private static double rank(double[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
