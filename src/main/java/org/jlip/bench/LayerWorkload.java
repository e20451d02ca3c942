package org.jlip.bench;

import java.util.Random;
import org.jlip.layers.LayerConfig;
import org.jlip.layers.LipLayer;
import org.jlip.train.AdamOptimizer;
import org.jlip.train.Device;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * One training step of a single layer: its training call (constrained weights recomputed, state updated) on a
 * fixed random batch, the loss mean(y^2) and the project's Adam on the layer's trainable variables. What differs
 * between a constrained layer and its plain counterpart is then the price of the constraint.
 */
final class LayerWorkload extends GraphWorkload {
  private final String name;
  private final int batch;
  private final Placeholder<TFloat32> input;
  private final TFloat32 x;
  private final Operand<TFloat32> loss;
  private final AdamOptimizer adam;

  /**
   * @param inputShape the layer's input shape without the batch axis
   */
  LayerWorkload(String name, LayerConfig config, long[] inputShape, int batch, Device device, int threads,
      long seed) {
    super(device, threads);
    this.name = name;
    this.batch = batch;
    LipLayer layer = config.create();
    layer.build(tf, inputShape, seed);
    long[] batched = new long[inputShape.length + 1];
    batched[0] = batch;
    System.arraycopy(inputShape, 0, batched, 1, inputShape.length);
    input = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(batched)));
    Operand<TFloat32> y = layer.call(tf, input, true);
    loss = tf.math.mean(tf.reshape(tf.math.square(y), tf.constant(new int[] {-1})), tf.constant(0));
    adam = new AdamOptimizer(graph, tf, loss, layer.trainableVariables(), 1e-3, 0.9, 0.999);
    x = keep(TFloat32.tensorOf(Shape.of(batched), DataBuffers.of(uniform(Shape.of(batched).size(), seed), true,
        false)));
    start();
  }

  private static float[] uniform(long size, long seed) {
    Random random = new Random(seed);
    float[] v = new float[Math.toIntExact(size)];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextFloat();
    }
    return v;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int batch() {
    return batch;
  }

  @Override
  public double flopsPerStep() {
    return Double.NaN;
  }

  @Override
  protected Session.Runner stepRunner(Session session) {
    return session.runner().feed(input, x).fetch(loss).addTarget(adam.step());
  }
}
