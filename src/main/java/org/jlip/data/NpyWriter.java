package org.jlip.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.jlip.io.AtomicFiles;

/** Writes float32 arrays as .npy files (version 1.0, little-endian, C order) that numpy and {@link NpyReader} read. */
public final class NpyWriter {
  private NpyWriter() {}

  /**
   * Atomically writes {@code data} with the given shape.
   *
   * @throws IllegalArgumentException when the shape does not hold exactly data.length values
   */
  public static void write(Path file, float[] data, long[] shape) throws IOException {
    long size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (size != data.length || Arrays.stream(shape).anyMatch(d -> d < 0)) {
      throw new IllegalArgumentException(file + ": shape " + Arrays.toString(shape) + " does not hold "
          + data.length + " values");
    }
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims.toString().trim() + "), }";
    // The magic, version and length take 10 bytes; numpy pads the header with spaces to a multiple of 64.
    int unpadded = 10 + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    buf.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
    buf.asFloatBuffer().put(data);
    AtomicFiles.write(file, buf.array());
  }
}
