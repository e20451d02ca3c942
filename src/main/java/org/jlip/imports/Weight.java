package org.jlip.imports;

import java.util.Arrays;

/** One imported weight: row-major values and their shape (Keras layout, e.g. dense [in, out], conv [kh, kw, cin, cout]). */
public record Weight(float[] values, long[] shape) {

  public Weight {
    long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (n != values.length) {
      throw new IllegalArgumentException("weight of shape " + Arrays.toString(shape) + " needs " + n
          + " values, got " + values.length);
    }
  }
}
