package org.jlip.layers;

/**
 * Configuration of one layer: a validated record whose components are what a model file (JSON) holds. A
 * missing (null) component takes deel-lip's default in the record's constructor, so the record always holds the
 * full configuration and config -> JSON -> config is the identity.
 */
public interface LayerConfig {

  /** Optional layer name; the model assigns a Keras-style one when null. */
  String name();

  /** Name of the layer type in model files (deel-lip's class name, e.g. "SpectralDense"). */
  default String type() {
    return LayerRegistry.typeOf(getClass());
  }

  /** A fresh, unbuilt layer with this configuration. */
  LipLayer create();
}
