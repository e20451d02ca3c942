package org.jlip.imports;

import java.util.Optional;
import org.jlip.certify.CertificateRule;
import org.jlip.model.ModelBound;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A model trained elsewhere, rebuilt as a jlip forward graph with its weights as constants, and bounded from those
 * weights. Inputs are NHWC without the batch axis (a channels_first model is converted at import, so callers always
 * feed NHWC); outputs are logits (a final softmax or sigmoid is left out: certificates are computed on the logits
 * before it).
 */
public interface LoadedModel extends AutoCloseable {

  /** Where the model came from (file or folder, signature). */
  String source();

  /** The input shape without the batch axis (NHWC for images, e.g. [28, 28, 1] or [28, 28]). */
  long[] inputShape();

  /** Number of logits (1 for a binary classifier). */
  int numClasses();

  /** Logits of {@code n} inputs laid out row-major ({@code n * prod(inputShape)} values): [n][numClasses]. */
  float[][] logits(float[] inputs, int n);

  /**
   * Builds the forward pass into a caller's graph on a caller's input ([batch, inputShape...]), for attacks and
   * gradients: every weight becomes a constant of that graph.
   */
  Operand<TFloat32> buildForward(Ops tf, Operand<TFloat32> input);

  /** The guaranteed upper bound L used with {@link #rule()}: the product of the layers' measured bounds. */
  double lipschitzBound();

  /** How the bound was obtained, e.g. "product of per-layer bounds: svd, dft, exact". */
  String boundMethod();

  /** The bound layer by layer. */
  ModelBound layerBounds();

  /** How margins become radii: DISJOINT (margin/2L), SQRT2 (margin/(sqrt(2) L)) or BINARY (|f|/L). */
  CertificateRule rule();

  /** True when the model's construction claims L = 1 (deel-lip layers), so nominal and measured can be compared. */
  boolean nominalIsOne();

  /**
   * The final activation of the saved model that {@link #logits} leave out: "softmax" or "sigmoid" (both keep the
   * logits' order, and a sigmoid their sign, so certificates on the logits hold for the probabilities' decisions);
   * empty when the model's own output is its logits.
   */
  Optional<String> finalActivationRemoved();

  /**
   * Whether the model's own input (a channels_first SavedModel's signature) reads NCHW images: jlip's inputs are
   * NHWC, and this model transposes them first.
   */
  default boolean servesNchw() {
    return false;
  }

  @Override
  void close();
}
