package org.jlip.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;

/** Session configuration: threads, device placement with soft fallback to the CPU. */
public final class Sessions {
  private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
  private static Boolean gpuSeen;

  private Sessions() {}

  /**
   * Explicit thread counts get pools of their own: TensorFlow otherwise sizes its process-wide pools from the
   * first session of the process and ignores later sessions' counts.
   */
  public static ConfigProto config(int intraOpThreads, int interOpThreads) {
    return config(intraOpThreads, interOpThreads, false);
  }

  /**
   * As {@link #config(int, int)}; {@code xla} also turns on XLA auto-clustering (global_jit_level ON_1), which
   * compiles clusters of GPU ops into fused kernels. A Lipschitz model's step is thousands of small ops
   * (power iteration, unrolled Bjorck, sorting networks), so on a GPU it is bound by kernel launches, not
   * arithmetic. TensorFlow applies the session setting to GPU ops only; CPU ops stay unclustered.
   */
  public static ConfigProto config(int intraOpThreads, int interOpThreads, boolean xla) {
    ConfigProto.Builder b = ConfigProto.newBuilder()
        .setUsePerSessionThreads(intraOpThreads > 0 || interOpThreads > 0)
        .setIntraOpParallelismThreads(intraOpThreads)
        .setInterOpParallelismThreads(interOpThreads)
        .setAllowSoftPlacement(true)
        .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true).build());
    if (xla) {
      b.setGraphOptions(GraphOptions.newBuilder().setOptimizerOptions(OptimizerOptions.newBuilder()
          .setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1)));
    }
    return b.build();
  }

  /** True when TensorFlow can run a kernel on GPU:0 (strict placement; checked once per process). */
  public static synchronized boolean gpuAvailable() {
    if (gpuSeen == null) {
      ConfigProto strict = ConfigProto.newBuilder().setAllowSoftPlacement(false).build();
      try (Graph g = new Graph(); Session s = new Session(g, strict)) {
        Ops tf = Ops.create(g).withDevice(gpu());
        s.runner().addTarget(tf.math.add(tf.constant(1f), tf.constant(1f))).run();
        gpuSeen = true;
      } catch (RuntimeException e) {
        gpuSeen = false;
      }
    }
    return gpuSeen;
  }

  /**
   * Whether {@code device} resolves to GPU:0 here: auto takes a GPU when TensorFlow sees one; a GPU request
   * without one falls back to the CPU with a warning.
   */
  public static boolean usesGpu(Device device) {
    return switch (device) {
      case CPU -> false;
      case GPU -> {
        if (!gpuAvailable()) {
          LOG.warn("--device gpu requested but TensorFlow sees no GPU (CPU-only native build, or CUDA 12 /"
              + " cuDNN 9 libraries not on the library path): running on the CPU");
          yield false;
        }
        yield true;
      }
      case AUTO -> gpuAvailable();
    };
  }

  /** Ops placed on GPU:0 or left to TensorFlow's default (the CPU); logs the choice. */
  public static Ops place(Ops tf, boolean gpu, Device requested) {
    LOG.info("device: {} (requested {}); ops without a GPU kernel stay on the CPU (soft placement)",
        gpu ? "GPU:0" : "CPU:0", requested.name().toLowerCase(java.util.Locale.ROOT));
    return gpu ? tf.withDevice(gpu()) : tf;
  }

  /** Ops placed for {@code device} ({@link #usesGpu}); logs the choice. */
  public static Ops place(Ops tf, Device device) {
    return place(tf, usesGpu(device), device);
  }

  private static DeviceSpec gpu() {
    return DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build();
  }
}
