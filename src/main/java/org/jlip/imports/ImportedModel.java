package org.jlip.imports;

import java.util.Collections;
import java.util.Map;
import org.jlip.certify.CertificateRule;
import org.jlip.model.ModelBound;
import org.jlip.model.ModelSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A model read from a {@code .keras} file: its description as jlip layer configs (constrained layers appear as the
 * plain Dense/Conv2D they condense to, GroupSort with its NHWC axis), the weights per layer, and the forward graph
 * and bound of {@link LoadedModel}.
 */
public final class ImportedModel implements LoadedModel {
  private final ChainModel chain;
  private final ModelSpec spec;
  private final Map<String, Map<String, Weight>> weights;
  private final boolean channelsFirst;

  ImportedModel(ChainModel chain, ModelSpec spec, Map<String, Map<String, Weight>> weights, boolean channelsFirst) {
    this.chain = chain;
    this.spec = spec;
    this.weights = Collections.unmodifiableMap(weights);
    this.channelsFirst = channelsFirst;
  }

  /** The architecture as jlip layer configs on the NHWC input shape. */
  public ModelSpec spec() {
    return spec;
  }

  /** Layer name -> role ("kernel", "bias") -> weight, in Keras layout. */
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
  public boolean softmaxRemoved() {
    return chain.softmaxRemoved();
  }

  @Override
  public void close() {
    chain.close();
  }
}
