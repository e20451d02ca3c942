package org.jlip.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jlip.data.NpyArray;
import org.jlip.data.NpyReader;
import org.jlip.model.ModelBound;
import org.jlip.model.ModelJson;
import org.junit.jupiter.api.Test;

/**
 * Writes the fixture src/test/python/run-interop.sh checks with Python TensorFlow and Keras: target/interop/model
 * (a SavedModel), inputs.npy (float32 [n, 6, 6, 1]) and expected.json (the Java outputs of both signatures).
 */
class SavedModelInteropFixtureTest {
  static final Path DIR = Path.of("target", "interop");
  private static final int N = 64;
  private static final long[] SHAPE = {6, 6, 1};

  @Test
  void writesAFixtureThatJavaReadsBack() throws IOException {
    Files.createDirectories(DIR);
    float[] x = ExportFixtures.inputs(N, SHAPE, 21);
    CertifyResult c;
    try (ExportFixtures f = new ExportFixtures(List.of(6, 6, 1), 16, 4, true, 20)) {
      ModelBound bound = f.model.bound(f.session);
      SavedModelExporter.export(f.model, f.session, DIR.resolve("model"), ExportOptions.fromBound(bound)
          .withClassNames(List.of("a", "b", "c", "d")).withOverwrite(true));
      try (ExportedModel m = ExportedModel.load(DIR.resolve("model"))) {
        c = m.certify(x, N);
        assertArrayEquals(f.liveLogits(x, N), c.logits(), 1e-5f);
      }
    }
    writeNpy(DIR.resolve("inputs.npy"), x, new long[] {N, 6, 6, 1});
    NpyArray back = NpyReader.read(DIR.resolve("inputs.npy"));
    assertEquals(x.length, back.data().length);

    ObjectNode expected = ModelJson.mapper().createObjectNode();
    ArrayNode logits = expected.putArray("logits");
    for (int i = 0; i < N; i++) {
      ArrayNode row = logits.addArray();
      for (int k = 0; k < c.outputs(); k++) {
        row.add(c.logits()[i * c.outputs() + k]);
      }
    }
    ArrayNode labels = expected.putArray("label");
    ArrayNode radii = expected.putArray("radius");
    for (int i = 0; i < N; i++) {
      labels.add(c.labels()[i]);
      radii.add(c.radii()[i]);
    }
    Files.writeString(DIR.resolve("expected.json"), ModelJson.mapper().writeValueAsString(expected));
  }

  /** A minimal .npy (version 1.0, little-endian float32, C order). */
  static void writeNpy(Path file, float[] data, long[] shape) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims.toString().trim() + "), }";
    int unpadded = 10 + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    buf.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
    buf.asFloatBuffer().put(data);
    Files.write(file, buf.array());
  }
}
