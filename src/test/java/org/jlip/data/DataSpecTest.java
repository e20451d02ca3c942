package org.jlip.data;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DataSpec#load} on each kind of source: how images are scaled, what raw() gives back, what is refused. */
class DataSpecTest {

  @TempDir Path dir;

  @Test
  void aFifoOrFolderAsLabelsIsRefused() throws Exception {
    Path images = NpyReaderTest.npy(dir.resolve("x.npy"), "<f4", false, new int[] {1, 1, 1},
        NpyReaderTest.floats(0));
    Path pipe = IdxReaderTest.fifo(dir.resolve("labels"));
    IdxReaderTest.assertRefusedAsSpecial(pipe, "FIFO", () -> DataSpec.load(images.toString(), pipe));
    Path folder = Files.createDirectory(dir.resolve("labels.npy"));
    IdxReaderTest.assertRefusedAsSpecial(folder, "a directory", () -> DataSpec.load(images.toString(), folder));
    Path pipeImages = IdxReaderTest.fifo(dir.resolve("images.npy"));
    IdxReaderTest.assertRefusedAsSpecial(pipeImages, "FIFO", () -> DataSpec.load(pipeImages.toString(), null));
  }
}
