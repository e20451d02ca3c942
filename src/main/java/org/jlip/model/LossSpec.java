package org.jlip.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The loss of a training block: a loss class name from org.jlip.losses and its parameters (null = the loss's
 * default). Only the parameters that the named loss takes may be set.
 */
public record LossSpec(
    String type, Double alpha, Double minMargin, Double tau, Double alphaMean, Double temperature) {

  private static final Map<String, Set<String>> PARAMS = new LinkedHashMap<>();

  static {
    PARAMS.put("KR", Set.of());
    PARAMS.put("HingeMargin", Set.of("minMargin"));
    PARAMS.put("HKR", Set.of("alpha", "minMargin"));
    PARAMS.put("MulticlassKR", Set.of());
    PARAMS.put("MulticlassHinge", Set.of("minMargin"));
    PARAMS.put("MulticlassHKR", Set.of("alpha", "minMargin"));
    PARAMS.put("MultiMargin", Set.of("minMargin"));
    PARAMS.put("CategoricalHinge", Set.of("minMargin"));
    PARAMS.put("TauCategoricalCrossentropy", Set.of("tau"));
    PARAMS.put("TauSparseCategoricalCrossentropy", Set.of("tau"));
    PARAMS.put("TauBinaryCrossentropy", Set.of("tau"));
    PARAMS.put("MulticlassSoftHKR", Set.of("alpha", "minMargin", "alphaMean", "temperature"));
    PARAMS.put("CategoricalCrossentropy", Set.of());
  }

  public LossSpec {
    if (type == null || !PARAMS.containsKey(type)) {
      throw new IllegalArgumentException("loss type must be one of " + PARAMS.keySet() + ", got " + type);
    }
    Set<String> allowed = PARAMS.get(type);
    Map<String, Double> given = new LinkedHashMap<>();
    given.put("alpha", alpha);
    given.put("minMargin", minMargin);
    given.put("tau", tau);
    given.put("alphaMean", alphaMean);
    given.put("temperature", temperature);
    for (Map.Entry<String, Double> e : given.entrySet()) {
      if (e.getValue() != null && !allowed.contains(e.getKey())) {
        throw new IllegalArgumentException(
            "loss " + type + " takes no parameter " + e.getKey() + "; it takes " + sorted(allowed));
      }
      if (e.getValue() != null && e.getValue().isNaN()) {
        throw new IllegalArgumentException("loss parameter " + e.getKey() + " must be a number, got NaN");
      }
    }
  }

  /** The parameters this loss type takes (and a schedule may set). */
  public Set<String> parameters() {
    return PARAMS.get(type);
  }

  public static LossSpec of(String type) {
    return new LossSpec(type, null, null, null, null, null);
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }
}
