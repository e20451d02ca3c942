package org.jlip.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessStatsTest {

  @Test
  void peakRssIsAtLeastTheCurrentRssAndPositive() {
    long current = ProcessStats.rssKib().orElseThrow();
    long peak = ProcessStats.peakRssKib().orElseThrow();
    assertTrue(current > 1024, "a JVM holds more than 1 MiB, got " + current + " KiB");
    assertTrue(peak >= current, peak + " < " + current);
  }
}
