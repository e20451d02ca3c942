package org.jlip.imports;

import java.util.Map;

/**
 * Why common Keras layers that jlip refuses have no certificate here, so a user learns whether a change of
 * architecture, not of jlip version, is needed.
 */
final class KerasUnsupported {
  private static final String NORM = ": it divides by a statistic of the sample itself, so no bound holds over"
      + " all inputs (near a constant input its change is unbounded)";
  private static final Map<String, String> REASONS = Map.ofEntries(
      Map.entry("LayerNormalization", NORM),
      Map.entry("GroupNormalization", NORM),
      Map.entry("UnitNormalization", NORM),
      Map.entry("Lambda", ": its Python function is not in the file, so jlip cannot know what it computes"),
      Map.entry("TFOpLambda", ": its TensorFlow function is not in the file, so jlip cannot know what it computes"),
      Map.entry("Multiply", ": a product of two activations has no global Lipschitz bound"),
      Map.entry("Dot", ": a product of two activations has no global Lipschitz bound"),
      Map.entry("Attention", ": attention multiplies activations, which has no global Lipschitz bound"),
      Map.entry("MultiHeadAttention", ": attention multiplies activations, which has no global Lipschitz bound"),
      Map.entry("LSTM", ": recurrent layers are not read"),
      Map.entry("GRU", ": recurrent layers are not read"),
      Map.entry("SimpleRNN", ": recurrent layers are not read"),
      Map.entry("Bidirectional", ": recurrent layers are not read"),
      Map.entry("TimeDistributed", ": wrapped layers are not read"),
      Map.entry("Embedding", ": its input is a token index, which has no L2 neighbourhood to certify"),
      Map.entry("Conv3D", ": 3-D layers are not read"),
      Map.entry("RandomCrop", ": its output size at inference differs between Keras versions"));

  private KerasUnsupported() {}

  /** ": why", or "" for a layer without a known reason. */
  static String reason(String type) {
    return REASONS.getOrDefault(type, "");
  }
}
