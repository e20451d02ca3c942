package org.jlip.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jlip.train.Device;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void defaultsFillNulls() {
    BenchOptions o = new BenchOptions(null, null, null, null, null, null, 10, 50, 3, 0, 42);
    assertEquals(List.of(), o.only());
    assertEquals(BenchOptions.DEFAULT_MODELS, o.models());
    assertEquals(Device.CPU, o.device());
  }

  @Test
  void badCountsAreRefusedNamingTheParameter() {
    assertEquals("steps must be > 0, got 0", assertThrows(IllegalArgumentException.class,
        () -> new BenchOptions(null, null, null, null, null, null, 1, 0, 1, 0, 1)).getMessage());
    assertEquals("rounds must be > 0, got 0", assertThrows(IllegalArgumentException.class,
        () -> new BenchOptions(null, null, null, null, null, null, 1, 1, 0, 0, 1)).getMessage());
    assertEquals("warmup must be >= 0, got -1", assertThrows(IllegalArgumentException.class,
        () -> new BenchOptions(null, null, null, null, null, null, -1, 1, 1, 0, 1)).getMessage());
    assertEquals("batch must be > 0, got 0", assertThrows(IllegalArgumentException.class,
        () -> new BenchOptions(null, null, null, null, 0, null, 1, 1, 1, 0, 1)).getMessage());
    assertEquals("threads must be >= 0, got -2", assertThrows(IllegalArgumentException.class,
        () -> new BenchOptions(null, null, null, null, null, null, 1, 1, 1, -2, 1)).getMessage());
  }
}
