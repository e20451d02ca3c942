package org.jlip.bench;

import org.tensorflow.proto.RunMetadata;

/** One thing the benchmark times: a graph built once, then run step by step. */
interface Workload extends AutoCloseable {

  /** The name of its result line. */
  String name();

  /** Images per step (0 when the step processes no images, e.g. a MatMul). */
  int batch();

  /** Floating-point operations per step, or NaN where no honest count exists. */
  double flopsPerStep();

  /** Runs one step (a training step or one MatMul) and waits for it to finish. */
  void step();

  /** Runs one step with a full trace, to learn where TensorFlow placed its kernels. */
  RunMetadata tracedStep();

  @Override
  void close();
}
