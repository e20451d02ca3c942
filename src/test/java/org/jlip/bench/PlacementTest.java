package org.jlip.bench;

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

  @Test
  void noStatisticsMeansUnknownDevice() {
    assertEquals("unknown", Placement.mainDevice(Placement.nodesPerDevice(RunMetadata.getDefaultInstance())));
  }
}
