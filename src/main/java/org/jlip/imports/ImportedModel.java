package org.jlip.imports;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import org.jlip.certify.CertificateRule;
import org.jlip.model.ModelBound;
import org.jlip.model.ModelSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A model read from a {@code .keras} file: its description as jlip layer configs (constrained layers appear as the
 * plain Dense/Conv2D they condense to, GroupSort with its NHWC axis), the weights per layer, and the forward graph
 * and bound of {@link LoadedModel}. A file with layers jlip can certify but not train (BatchNormalization, plain
 * poolings, leaky ReLUs, tanh, sigmoid...) has no such description: it certifies and attacks, but does not convert.
 */
public final class ImportedModel implements LoadedModel {
  private final ChainModel chain;
  private final ModelSpec spec;
  private final String notConvertible;
  private final Map<String, Map<String, Weight>> weights;
  private final boolean channelsFirst;

  /** {@code spec} is null exactly when {@code notConvertible} says why. */
  ImportedModel(ChainModel chain, ModelSpec spec, String notConvertible, Map<String, Map<String, Weight>> weights,
      boolean channelsFirst) {
    if ((spec == null) == (notConvertible == null)) {
      throw new IllegalArgumentException("spec must be null exactly when notConvertible is set, got spec " + spec
          + " and notConvertible " + notConvertible);
    }
    this.chain = chain;
    this.spec = spec;
    this.notConvertible = notConvertible;
    this.weights = Collections.unmodifiableMap(weights);
    this.channelsFirst = channelsFirst;
  }

  /**
   * The architecture as jlip layer configs on the NHWC input shape.
   *
   * @throws UnsupportedModelException when a layer has no jlip equivalent ({@link #notConvertibleReason()})
   */
  public ModelSpec spec() throws UnsupportedModelException {
    if (spec == null) {
      throw new UnsupportedModelException(source() + ": " + notConvertible);
    }
    return spec;
  }

  /**
   * Why the file cannot become a jlip model (e.g. "layer 'bn' (BatchNormalization) has no jlip equivalent"), or
   * empty when {@link #spec()} describes it.
   */
  public Optional<String> notConvertibleReason() {
    return Optional.ofNullable(notConvertible);
  }

  /**
   * Layer name -> role -> weight, in Keras layout: "kernel" and "bias"; a BatchNormalization's "gamma", "beta",
   * "moving_mean" and "moving_variance" (those its file holds).
   */
  public Map<String, Map<String, Weight>> weights() {
    return weights;
  }

  /** True when the file's model was channels_first (its [C, H, W] input is fed here as [H, W, C]). */
  public boolean channelsFirst() {
    return channelsFirst;
  }

  @Override
  public String source() {
    return chain.source();
  }

  @Override
  public long[] inputShape() {
    return chain.inputShape();
  }

  @Override
  public int numClasses() {
    return chain.numClasses();
  }

  @Override
  public float[][] logits(float[] inputs, int n) {
    return chain.logits(inputs, n);
  }

  @Override
  public Operand<TFloat32> buildForward(Ops tf, Operand<TFloat32> input) {
    return chain.buildForward(tf, input);
  }

  @Override
  public double lipschitzBound() {
    return chain.lipschitzBound();
  }

  @Override
  public String boundMethod() {
    return chain.boundMethod();
  }

  @Override
  public ModelBound layerBounds() {
    return chain.layerBounds();
  }

  @Override
  public CertificateRule rule() {
    return chain.rule();
  }

  @Override
  public boolean nominalIsOne() {
    return chain.nominalIsOne();
  }

  @Override
  public Optional<String> finalActivationRemoved() {
    return chain.finalActivationRemoved();
  }

  @Override
  public void close() {
    chain.close();
  }
}
