package org.jlip.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import org.junit.jupiter.api.Test;

class ProgressTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void logModeWritesPeriodicLinesWithEta() {
    long[] now = {0};
    List<String> lines = new ArrayList<>();
    try (Progress p = new Progress("train epoch 1", 100, null, () -> now[0], lines::add, 10 * SECOND)) {
      for (int i = 0; i < 100; i++) {
        now[0] += SECOND / 2;
        p.step();
        if (i == 10) {
          p.extra("loss 0.12");
        }
      }
      assertEquals(100, p.current());
    }
    // 100 steps at 0.5 s each = 50 s: lines at 10, 20, 30, 40, 50 s, then the final line.
    assertEquals(6, lines.size(), lines.toString());
    assertEquals("train epoch 1: 20/100 (20.0%), 2.00 it/s, elapsed 0:00:10, ETA 0:00:40, loss 0.12", lines.get(0));
    assertEquals("train epoch 1: done 100/100 (100.0%), 2.00 it/s, elapsed 0:00:50, loss 0.12", lines.get(5));
  }

  @Test
  void closeIsIdempotentAndUnknownTotalHasNoEta() {
    long[] now = {0};
    List<String> lines = new ArrayList<>();
    Progress p = new Progress("scan", 0, null, () -> now[0], lines::add, SECOND);
    now[0] = 4 * SECOND;
    p.stepBy(8);
    p.close();
    p.close();
    assertEquals(List.of("scan: 8, 2.00 it/s, elapsed 0:00:04", "scan: done 8, 2.00 it/s, elapsed 0:00:04"), lines);
  }

  @Test
  void startWithoutConsoleWorksAndNegativeTotalIsRejected() {
    try (Progress p = Progress.start("test", 3)) {
      p.step();
      p.stepBy(2);
      assertEquals(3, p.current());
    }
    assertThrows(IllegalArgumentException.class, () -> Progress.start("bad", -1));
  }

  @Test
  void consoleModeDrivesTheProgressBar() {
    List<String> frames = new ArrayList<>();
    ProgressBar bar = Progress.barBuilder("train epoch 2", 4)
        .setConsumer(new DelegatingProgressBarConsumer(frames::add))
        .setUpdateIntervalMillis(10)
        .build();
    List<String> lines = new ArrayList<>();
    try (Progress p = new Progress("train epoch 2", 4, bar, System::nanoTime, lines::add, 0)) {
      p.stepBy(3);
      p.extra("loss 0.5");
      assertEquals(3, bar.getCurrent());
      assertEquals("loss 0.5", bar.getExtraMessage());
    }
    assertTrue(lines.isEmpty(), "no log lines in console mode: " + lines);
    String last = frames.get(frames.size() - 1);
    assertTrue(last.contains("train epoch 2") && last.contains("3/4") && last.contains("loss 0.5"), last);
  }

  @Test
  void durationFormat() {
    assertEquals("1:01:05", Progress.duration(3665));
    assertEquals("0:00:00", Progress.duration(0.2));
  }
}
