package org.jlip.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EpochScheduleTest {

  @Test
  void validatesEveryFreqEpochsAndTheLastOne() {
    List<Integer> validated = IntStream.rangeClosed(1, 10)
        .filter(e -> EpochSchedule.validates(e, 3, e == 10)).boxed().toList();
    assertEquals(List.of(3, 6, 9, 10), validated);
    assertEquals(10, IntStream.rangeClosed(1, 10).filter(e -> EpochSchedule.validates(e, 1, false)).count());
  }

  @Test
  void theConfiguredLastEpochEndsTheRunAndNoLimitNeverDoes() {
    assertTrue(EpochSchedule.endsAfter(5, 5, 1, Long.MAX_VALUE, 1, 1));
    assertTrue(EpochSchedule.endsAfter(7, 5, 1, Long.MAX_VALUE, 1, 1), "past the configured epochs");
    assertFalse(EpochSchedule.endsAfter(4, 5, 1, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE));
  }

  /** Continuing costs this epoch's scheduled validation, another epoch of steps and its validation. */
  @Test
  void timeLimitCountsTheValidationsThatContinuingWouldRun() {
    long train = 100;
    long eval = 30;
    // Epoch 2 of freq 2 is scheduled for validation: 30 + 100 + 30 = 160 needed.
    assertFalse(EpochSchedule.endsAfter(2, 10, 2, 160, train, eval));
    assertTrue(EpochSchedule.endsAfter(2, 10, 2, 159, train, eval));
    // Epoch 3 is not: 100 + 30 = 130 needed.
    assertFalse(EpochSchedule.endsAfter(3, 10, 2, 130, train, eval));
    assertTrue(EpochSchedule.endsAfter(3, 10, 2, 129, train, eval));
    // Before any validation its cost is unknown (0): only the steps count.
    assertFalse(EpochSchedule.endsAfter(1, 10, 5, 100, train, 0));
    assertTrue(EpochSchedule.endsAfter(1, 10, 5, 99, train, 0));
    assertTrue(EpochSchedule.endsAfter(1, 10, 5, -1, 0, 0), "past the deadline");
  }

  @Test
  void checkpointsAfterTheIntervalAndAfterTheLastEpoch() {
    long second = 1_000_000_000L;
    assertTrue(EpochSchedule.checkpoints(false, 0, 0), "interval 0: every epoch");
    assertFalse(EpochSchedule.checkpoints(false, 59 * second, 60));
    assertTrue(EpochSchedule.checkpoints(false, 60 * second, 60));
    assertTrue(EpochSchedule.checkpoints(true, 0, 3600), "the last epoch always");
  }
}
