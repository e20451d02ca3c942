package org.jlip.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.StepStats;

class PlacementTest {

  private static DeviceStepStats device(String name, int nodes) {
    DeviceStepStats.Builder b = DeviceStepStats.newBuilder().setDevice(name);
    for (int i = 0; i < nodes; i++) {
      b.addNodeStats(NodeExecStats.newBuilder().setNodeName("n" + i));
    }
    return b.build();
  }

  @Test
  void countsNodesPerDeviceIgnoringGpuStreamDuplicates() {
    RunMetadata m = RunMetadata.newBuilder().setStepStats(StepStats.newBuilder()
        .addDevStats(device("/job:localhost/replica:0/task:0/device:CPU:0", 3))
        .addDevStats(device("/job:localhost/replica:0/task:0/device:GPU:0", 10))
        .addDevStats(device("/device:GPU:0/stream:all", 10))
        .addDevStats(device("/device:GPU:0/memcpy", 2)))
        .build();
    Map<String, Integer> nodes = Placement.nodesPerDevice(m);
    assertEquals(Map.of("CPU:0", 3, "GPU:0", 10), nodes);
    assertEquals("GPU:0", Placement.mainDevice(nodes));
  }

  /** Types come from the graph when it holds the node, else from the tracer's label. */
  @Test
  void listsOpTypesOfOneDevice() {
    DeviceStepStats cpu = DeviceStepStats.newBuilder().setDevice("/job:localhost/replica:0/task:0/device:CPU:0")
        .addNodeStats(NodeExecStats.newBuilder().setNodeName("a").setTimelineLabel("a = Unique(x)"))
        .addNodeStats(NodeExecStats.newBuilder().setNodeName("b").setTimelineLabel("b = Unique(y)"))
        .addNodeStats(NodeExecStats.newBuilder().setNodeName("edge_7_c/_1").setTimelineLabel("edge_7_c/_1 = _Recv()"))
        .addNodeStats(NodeExecStats.newBuilder().setNodeName("_SOURCE"))
        .build();
    RunMetadata m = RunMetadata.newBuilder().setStepStats(StepStats.newBuilder().addDevStats(cpu)
        .addDevStats(device("/job:localhost/replica:0/task:0/device:GPU:0", 4))).build();
    assertEquals(Map.of("Unique", 2, "_Recv", 1, "_SOURCE", 1), Placement.opsOn(m, "CPU:0", null));
    assertEquals(Map.of("n0", 1, "n1", 1, "n2", 1, "n3", 1), Placement.opsOn(m, "GPU:0", null));
    assertEquals(Map.of(), Placement.opsOn(m, "GPU:1", null));
  }

  @Test
  void noStatisticsMeansUnknownDevice() {
    assertEquals("unknown", Placement.mainDevice(Placement.nodesPerDevice(RunMetadata.getDefaultInstance())));
  }
}
