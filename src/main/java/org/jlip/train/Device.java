package org.jlip.train;

import java.util.Locale;

/** Where the graph runs: {@code auto} = the GPU when TensorFlow sees one, else the CPU. */
public enum Device {
  CPU,
  GPU,
  AUTO;

  public static Device parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("device must be one of cpu, gpu, auto; got '" + s + "'");
    }
  }
}
