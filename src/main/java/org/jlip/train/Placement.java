package org.jlip.train;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;

/**
 * Where a traced run actually executed its kernels, from the run's step statistics: soft placement may move
 * any op to the CPU, so the requested device says little. Only per-device entries count ("/device:GPU:0", not
 * the "/device:GPU:0/stream:..." duplicates the GPU tracer adds).
 */
public final class Placement {
  private static final Pattern DEVICE = Pattern.compile("device:([A-Za-z_]+:\\d+)$");
  /** TensorFlow's timeline label: "node = OpType(inputs)". */
  private static final Pattern LABEL_OP = Pattern.compile("= ([A-Za-z0-9_]+)\\(");

  /** Run options that make {@code runAndFetchMetadata} record per-node step statistics. */
  public static final RunOptions FULL_TRACE =
      RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();

  private Placement() {}

  /** Executed nodes per device ("CPU:0", "GPU:0"), sorted by device name. */
  public static Map<String, Integer> nodesPerDevice(RunMetadata metadata) {
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
  public static String mainDevice(Map<String, Integer> nodes) {
    return nodes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("unknown");
  }

  /**
   * The op types executed on {@code device} ("CPU:0") with their counts: the graph's type for the node's name,
   * else the type in the tracer's label (nodes the runtime adds, such as _Send and _Recv, are not in the graph).
   */
  public static Map<String, Integer> opsOn(RunMetadata metadata, String device, Graph graph) {
    Map<String, Integer> out = new TreeMap<>();
    for (DeviceStepStats d : metadata.getStepStats().getDevStatsList()) {
      Matcher m = DEVICE.matcher(d.getDevice());
      if (!m.find() || !m.group(1).equals(device)) {
        continue;
      }
      for (NodeExecStats n : d.getNodeStatsList()) {
        out.merge(opType(n, graph), 1, Integer::sum);
      }
    }
    return out;
  }

  private static String opType(NodeExecStats n, Graph graph) {
    GraphOperation op = graph == null ? null : graph.operation(n.getNodeName());
    if (op != null) {
      return op.type();
    }
    Matcher m = LABEL_OP.matcher(n.getTimelineLabel());
    return m.find() ? m.group(1) : n.getNodeName();
  }
}
