package org.jlip.layers;

/**
 * Dense layer normalised by the Frobenius norm (deel-lip FrobeniusDense). With {@code disjointNeurons} (the
 * default) each output column is normalised on its own, so each output is an independent 1-Lipschitz neuron:
 * the certificate rule margin/2 applies.
 */
public record FrobeniusDenseConfig(
    Integer units, Boolean useBias, Boolean disjointNeurons, Double kCoefLip, String name)
    implements LayerConfig {

  public FrobeniusDenseConfig {
    units = Check.positive("units", units, 0);
    useBias = useBias == null || useBias;
    disjointNeurons = disjointNeurons == null || disjointNeurons;
    kCoefLip = Check.positive("kCoefLip", kCoefLip, 1.0);
    name = Check.name(name);
  }

  public FrobeniusDenseConfig(int units) {
    this(units, null, null, null, null);
  }

  @Override
  public LipLayer create() {
    return new FrobeniusDense(this);
  }
}
