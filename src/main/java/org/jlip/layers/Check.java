package org.jlip.layers;

import java.util.List;

/** Parameter validation shared by the configuration records; messages name the parameter and the value. */
public final class Check {
  private Check() {}

  /** {@code defaultValue} 0 marks a required parameter. */
  public static int positive(String param, Integer value, int defaultValue) {
    if (value == null && defaultValue == 0) {
      throw new IllegalArgumentException(param + " is required (an integer > 0)");
    }
    int v = value == null ? defaultValue : value;
    if (v <= 0) {
      throw new IllegalArgumentException(param + " must be > 0, got " + v);
    }
    return v;
  }

  public static double positive(String param, Double value, double defaultValue) {
    double v = value == null ? defaultValue : value;
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(param + " must be a finite number > 0, got " + v);
    }
    return v;
  }

  public static double range(String param, Double value, double defaultValue, double lowExcl, double highIncl) {
    double v = value == null ? defaultValue : value;
    if (!(v > lowExcl && v <= highIncl)) {
      throw new IllegalArgumentException(param + " must be in (" + lowExcl + ", " + highIncl + "], got " + v);
    }
    return v;
  }

  /** A list of {@code size} positive integers, {@code defaultValue} repeated when null. */
  public static List<Integer> pair(String param, List<Integer> value, int defaultValue) {
    List<Integer> v = value == null ? List.of(defaultValue, defaultValue) : List.copyOf(value);
    if (v.size() != 2 || v.stream().anyMatch(i -> i == null || i <= 0)) {
      throw new IllegalArgumentException(param + " must be two integers > 0, got " + value);
    }
    return v;
  }

  public static String oneOf(String param, String value, String defaultValue, String... allowed) {
    String v = value == null ? defaultValue : value;
    for (String a : allowed) {
      if (a.equals(v)) {
        return v;
      }
    }
    throw new IllegalArgumentException(param + " must be one of " + List.of(allowed) + ", got " + v);
  }

  public static String name(String name) {
    if (name != null && (name.isEmpty() || !name.matches("[A-Za-z0-9_.\\-]+"))) {
      throw new IllegalArgumentException(
          "name must be letters, digits, '_', '.' or '-' (no '/'), got '" + name + "'");
    }
    return name;
  }
}
