package org.jlip.io;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a long task. On a terminal ({@code System.console() != null}) it draws a me.tongfei progress bar
 * with speed and ETA; without one (CI logs, redirected output, nohup) a redrawn bar would only produce noise,
 * so it logs one SLF4J INFO line every {@link #LOG_INTERVAL_SECONDS} seconds and a final line on close.
 *
 * <pre>{@code
 * try (Progress p = Progress.start("train epoch 1", totalSteps)) {
 *   p.step();
 *   p.extra("loss 0.12");
 * }
 * }</pre>
 */
public final class Progress implements AutoCloseable {

  /** Seconds between two log lines in log mode. */
  public static final long LOG_INTERVAL_SECONDS = 10;

  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

  private final String task;
  private final long total;
  private final ProgressBar bar;
  private final LongSupplier nanoClock;
  private final Consumer<String> log;
  private final long logIntervalNanos;
  private final long startNanos;
  private long lastLogNanos;
  private long current;
  private String extra = "";
  private boolean closed;

  Progress(String task, long total, ProgressBar bar, LongSupplier nanoClock, Consumer<String> log,
      long logIntervalNanos) {
    if (total < 0) {
      throw new IllegalArgumentException("total must be >= 0 (0 = unknown), got " + total);
    }
    this.task = task;
    this.total = total;
    this.bar = bar;
    this.nanoClock = nanoClock;
    this.log = log;
    this.logIntervalNanos = logIntervalNanos;
    this.startNanos = nanoClock.getAsLong();
    this.lastLogNanos = startNanos;
  }

  /**
   * Starts tracking a task of total steps (0 when unknown): a bar on a terminal, periodic log lines otherwise.
   */
  public static Progress start(String task, long total) {
    if (System.console() == null) {
      return new Progress(task, total, null, System::nanoTime, LOG::info,
          TimeUnit.SECONDS.toNanos(LOG_INTERVAL_SECONDS));
    }
    return new Progress(task, total, barBuilder(task, total).build(), System::nanoTime, LOG::info, 0);
  }

  /** The terminal bar: speed and ETA shown, indefinite (-1) when total is unknown. */
  static ProgressBarBuilder barBuilder(String task, long total) {
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(total == 0 ? -1 : total).showSpeed();
  }

  /** Advances by one step. */
  public void step() {
    stepBy(1);
  }

  /** Advances by n steps. */
  public synchronized void stepBy(long n) {
    current += n;
    if (bar != null) {
      bar.stepBy(n);
      return;
    }
    long now = nanoClock.getAsLong();
    if (now - lastLogNanos >= logIntervalNanos) {
      lastLogNanos = now;
      log.accept(line(now, false));
    }
  }

  /** Sets the text shown after the counters (e.g. "loss 0.12"), until replaced. */
  public synchronized void extra(String message) {
    extra = message == null ? "" : message;
    if (bar != null) {
      bar.setExtraMessage(extra);
    }
  }

  /** Steps done so far. */
  public synchronized long current() {
    return current;
  }

  /** Ends the bar, or logs the final line; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (bar != null) {
      bar.close();
    } else {
      log.accept(line(nanoClock.getAsLong(), true));
    }
  }

  private String line(long now, boolean done) {
    double elapsed = (now - startNanos) / 1e9;
    double rate = elapsed > 0 ? current / elapsed : 0;
    StringBuilder sb = new StringBuilder(task).append(": ");
    if (done) {
      sb.append("done ");
    }
    sb.append(current);
    if (total > 0) {
      sb.append('/').append(total).append(String.format(Locale.ROOT, " (%.1f%%)", 100.0 * current / total));
    }
    sb.append(String.format(Locale.ROOT, ", %.2f it/s, elapsed %s", rate, duration(elapsed)));
    if (!done && total > 0 && rate > 0) {
      sb.append(", ETA ").append(duration(Math.max(0, total - current) / rate));
    }
    if (!extra.isEmpty()) {
      sb.append(", ").append(extra);
    }
    return sb.toString();
  }

  /** H:MM:SS. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
