package org.jlip.imports;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/** Decodes the float and integer constants of a graph (TensorProto) into Java arrays. */
final class TensorProtos {
  private TensorProtos() {}

  static long[] shape(TensorShapeProto p) {
    return p.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
  }

  /**
   * The most elements a graph constant may declare. A TensorProto may hold one value for a whole shape ("splat"),
   * so a few bytes can declare gigabytes; a classifier's constants are shapes and small tables (its weights are
   * variables).
   */
  static final long MAX_ELEMENTS = 1L << 26;

  static int count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("unknown dimension in " + java.util.Arrays.toString(shape));
      }
      n = d == 0 ? 0 : n > MAX_ELEMENTS / d ? MAX_ELEMENTS + 1 : n * d;
    }
    if (n > MAX_ELEMENTS) {
      throw new IllegalArgumentException("constant of shape " + java.util.Arrays.toString(shape) + " declares more"
          + " than " + MAX_ELEMENTS + " elements");
    }
    return (int) n;
  }

  /**
   * What is wrong with a constant before anything decodes it: too many elements, or packed content whose length
   * does not match its shape; null if nothing.
   */
  static String problem(TensorProto t) {
    try {
      int n = count(shape(t.getTensorShape()));
      int size = switch (t.getDtype()) {
        case DT_FLOAT, DT_INT32 -> 4;
        case DT_DOUBLE, DT_INT64 -> 8;
        default -> 0;
      };
      int bytes = t.getTensorContent().size();
      if (size > 0 && bytes > 0 && bytes != (long) n * size) {
        return "a " + t.getDtype() + " constant of " + n + " elements packs " + bytes + " bytes";
      }
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  static float[] floats(TensorProto t) {
    if (t.getDtype() != DataType.DT_FLOAT) {
      throw new IllegalArgumentException("expected a float constant, got " + t.getDtype());
    }
    int n = count(shape(t.getTensorShape()));
    float[] out = new float[n];
    if (!t.getTensorContent().isEmpty()) {
      ByteBuffer b = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().get(out);
    } else if (t.getFloatValCount() > 0) {
      for (int i = 0; i < n; i++) {
        out[i] = t.getFloatVal(Math.min(i, t.getFloatValCount() - 1));
      }
    }
    return out;
  }

  static long[] longs(TensorProto t) {
    int n = count(shape(t.getTensorShape()));
    long[] out = new long[n];
    boolean int64 = t.getDtype() == DataType.DT_INT64;
    if (!int64 && t.getDtype() != DataType.DT_INT32) {
      throw new IllegalArgumentException("expected an integer constant, got " + t.getDtype());
    }
    if (!t.getTensorContent().isEmpty()) {
      ByteBuffer b = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) {
        out[i] = int64 ? b.getLong() : b.getInt();
      }
    } else {
      int c = int64 ? t.getInt64ValCount() : t.getIntValCount();
      for (int i = 0; i < n && c > 0; i++) {
        out[i] = int64 ? t.getInt64Val(Math.min(i, c - 1)) : t.getIntVal(Math.min(i, c - 1));
      }
    }
    return out;
  }
}
