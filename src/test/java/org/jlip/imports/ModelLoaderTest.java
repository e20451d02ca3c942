package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files jlip does not read are told apart, so the message says what to do with each. */
class ModelLoaderTest {

  private static Path zip(Path file, String... entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(out)) {
      for (String e : entries) {
        z.putNextEntry(new ZipEntry(e));
        z.write(1);
        z.closeEntry();
      }
    }
    return file;
  }

  /**
   * PyTorch's files (torch.save's zip of pickles, its legacy pickle stream, TorchScript) are refused pointing to an
   * ONNX export; any other file is named as no model of a kind jlip reads.
   */
  @Test
  void pyTorchFilesAreToldToBecomeOnnx(@TempDir Path dir) throws IOException {
    Path checkpoint = zip(dir.resolve("m.pth"), "archive/data.pkl", "archive/data/0", "archive/version");
    Path script = zip(dir.resolve("s.pt"), "archive/data.pkl", "archive/code/__torch__/m.py", "archive/version");
    Path legacy = Files.write(dir.resolve("old.pth"), new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0});
    String[][] cases = {{checkpoint.toString(), "PyTorch checkpoint"}, {script.toString(), "TorchScript archive"},
        {legacy.toString(), "legacy format"}};
    for (String[] c : cases) {
      var e = assertThrows(UnsupportedModelException.class, () -> ModelLoader.load(Path.of(c[0])));
      assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains("torch.onnx.export"), e.getMessage());
    }
    Path other = zip(dir.resolve("other.zip"), "readme.txt");
    var e = assertThrows(MalformedModelException.class, () -> ModelLoader.load(other));
    assertTrue(e.getMessage().contains("is neither a SavedModel folder"), e.getMessage());
  }
}
