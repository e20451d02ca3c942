package org.jlip.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;

/**
 * Where a traced run actually executed its kernels, from the run's step statistics: soft placement may move
 * any op to the CPU, so the requested device says little. Only per-device entries count ("/device:GPU:0", not
 * the "/device:GPU:0/stream:..." duplicates the GPU tracer adds).
 */
final class Placement {
  private static final Pattern DEVICE = Pattern.compile("device:([A-Za-z_]+:\\d+)$");

  /** Run options that make {@code runAndFetchMetadata} record per-node step statistics. */
  static final RunOptions FULL_TRACE =
      RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();

  private Placement() {}

  /** Executed nodes per device ("CPU:0", "GPU:0"), sorted by device name. */
  static Map<String, Integer> nodesPerDevice(RunMetadata metadata) {
    Map<String, Integer> out = new TreeMap<>();
    for (DeviceStepStats d : metadata.getStepStats().getDevStatsList()) {
      Matcher m = DEVICE.matcher(d.getDevice());
      if (m.find()) {
        out.merge(m.group(1), d.getNodeStatsCount(), Integer::sum);
      }
    }
    return out;
  }

  /** The device that executed the most nodes: what the step mostly ran on ("unknown" without statistics). */
  static String mainDevice(Map<String, Integer> nodes) {
    return nodes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("unknown");
  }
}
