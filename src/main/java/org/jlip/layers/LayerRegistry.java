package org.jlip.layers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The layer types a model file may name, by deel-lip/Keras class name. */
public final class LayerRegistry {
  private static final Map<String, Class<? extends LayerConfig>> TYPES = new LinkedHashMap<>();

  static {
    TYPES.put("SpectralDense", SpectralDenseConfig.class);
    TYPES.put("SpectralConv2D", SpectralConv2DConfig.class);
    TYPES.put("SpectralConv2DTranspose", SpectralConv2DTransposeConfig.class);
    TYPES.put("FrobeniusDense", FrobeniusDenseConfig.class);
    TYPES.put("FrobeniusConv2D", FrobeniusConv2DConfig.class);
    TYPES.put("GroupSort", GroupSortConfig.class);
    TYPES.put("GroupSort2", GroupSort2Config.class);
    TYPES.put("FullSort", FullSortConfig.class);
    TYPES.put("MaxMin", MaxMinConfig.class);
    TYPES.put("Householder", HouseholderConfig.class);
    TYPES.put("ScaledL2NormPooling2D", ScaledL2NormPooling2DConfig.class);
    TYPES.put("ScaledAveragePooling2D", ScaledAveragePooling2DConfig.class);
    TYPES.put("ScaledGlobalL2NormPooling2D", ScaledGlobalL2NormPooling2DConfig.class);
    TYPES.put("ScaledGlobalAveragePooling2D", ScaledGlobalAveragePooling2DConfig.class);
    TYPES.put("InvertibleDownSampling", InvertibleDownSamplingConfig.class);
    TYPES.put("InvertibleUpSampling", InvertibleUpSamplingConfig.class);
    TYPES.put("Flatten", FlattenConfig.class);
    TYPES.put("Dense", DenseConfig.class);
    TYPES.put("Conv2D", Conv2DConfig.class);
    TYPES.put("Conv2DTranspose", Conv2DTransposeConfig.class);
    TYPES.put("ReLU", ReLUConfig.class);
    TYPES.put("MaxPooling2D", MaxPooling2DConfig.class);
  }

  private LayerRegistry() {}

  /** The configuration class for a type name, or null if unknown. */
  public static Class<? extends LayerConfig> configClass(String type) {
    return TYPES.get(type);
  }

  public static Set<String> typeNames() {
    return Collections.unmodifiableSet(TYPES.keySet());
  }

  static String typeOf(Class<?> configClass) {
    for (Map.Entry<String, Class<? extends LayerConfig>> e : TYPES.entrySet()) {
      if (e.getValue() == configClass) {
        return e.getKey();
      }
    }
    throw new IllegalStateException("unregistered layer configuration " + configClass.getName());
  }
}
