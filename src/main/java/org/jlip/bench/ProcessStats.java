package org.jlip.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Memory figures of this process from /proc/self/status (Linux only). */
final class ProcessStats {
  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcessStats() {}

  /** Peak resident set size (VmHWM) in KiB, or empty where /proc is not available. */
  static OptionalLong peakRssKib() {
    return field("VmHWM:");
  }

  /** Current resident set size (VmRSS) in KiB, or empty where /proc is not available. */
  static OptionalLong rssKib() {
    return field("VmRSS:");
  }

  private static OptionalLong field(String key) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(key)) {
          // "VmHWM:	  123456 kB"
          return OptionalLong.of(Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }
}
