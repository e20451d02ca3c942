package org.jlip.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TimingsTest {

  @Test
  void evenCountMedianIsTheMeanOfTheMiddlePairAndPercentilesAreNearestRank() {
    Timings t = Timings.of(new double[] {10, 1, 9, 2, 8, 3, 7, 4, 6, 5});
    assertEquals(10, t.count());
    assertEquals(5.5, t.medianMs());
    assertEquals(1, t.p10Ms());
    assertEquals(9, t.p90Ms());
  }

  @Test
  void oddCountMedianIsTheMiddleSample() {
    Timings t = Timings.of(new double[] {3, 100, 1});
    assertEquals(3, t.medianMs());
    assertEquals(1, t.p10Ms());
    assertEquals(100, t.p90Ms());
  }

  @Test
  void noSamplesIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Timings.of(new double[0]));
  }
}
