package org.jlip.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyWriterTest {

  @Test
  void roundTripsThroughTheReader(@TempDir Path dir) throws Exception {
    float[] data = new float[2 * 3 * 4 * 1];
    for (int i = 0; i < data.length; i++) {
      data[i] = i * 0.25f - 3;
    }
    Path f = dir.resolve("a.npy");
    NpyWriter.write(f, data, new long[] {2, 3, 4, 1});
    NpyArray back = NpyReader.read(f);
    assertArrayEquals(new int[] {2, 3, 4, 1}, back.shape());
    assertArrayEquals(data, back.data());
    assertEquals(0, (Files.size(f) - 4 * data.length) % 64, "numpy pads its header to a multiple of 64 bytes");
  }

  @Test
  void refusesAShapeThatDoesNotHoldTheData(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("b.npy");
    var e = assertThrows(IllegalArgumentException.class, () -> NpyWriter.write(f, new float[5], new long[] {2, 3}));
    assertTrue(e.getMessage().contains("shape [2, 3] does not hold 5 values"), e.getMessage());
    assertTrue(Files.notExists(f));
  }
}
