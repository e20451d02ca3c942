package org.jlip.certify;

import org.jlip.model.ModelBound;

/**
 * A classifier that can be certified: its logits on NHWC images plus what its certificates divide by. jlip's own
 * checkpoints and exports and models imported from Python all present themselves this way.
 */
public interface CertifiedModel extends AutoCloseable {

  /** Input shape without the batch axis (NHWC for images). */
  long[] inputShape();

  /** Number of logits. */
  int outputs();

  /** Logits of {@code n} samples laid out row-major in {@code images}. */
  float[] logits(float[] images, int n);

  /** How a margin becomes a radius for this head. */
  CertificateRule rule();

  /** The constant the construction claims (1 for a deel-lip or jlip model), or null when it claims none. */
  Double nominalLipschitz();

  /** A guaranteed upper bound computed from the model's weights, layer by layer. */
  ModelBound bound();

  /** How the model was obtained (format and path), for reports. */
  String source();

  @Override
  void close();
}
