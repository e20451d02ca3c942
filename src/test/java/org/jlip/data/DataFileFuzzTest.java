package org.jlip.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data files are untrusted input too: seeded random edits of valid .npy and IDX files (bytes overwritten, the file
 * cut short or lengthened) must each read or fail with {@link MalformedDataException} naming the file, never with
 * another exception or an attempt to allocate what the header claims.
 */
class DataFileFuzzTest {
  private static final int EDITS = 300;

  @TempDir Path dir;

  @Test
  void editedNpyFilesReadOrFailNamingTheFile() throws IOException {
    Path valid = dir.resolve("valid.npy");
    float[] data = new float[4 * 5 * 5];
    Arrays.fill(data, 1f);
    NpyWriter.write(valid, data, new long[] {4, 5, 5});
    fuzz(Files.readAllBytes(valid), "npy", f -> {
      NpyReader.readImages(f);
      NpyReader.readLabels(f);
    });
  }

  /** Edits anywhere in the archive: its local headers, the deflated arrays and the central directory at the end. */
  @Test
  void editedNpzArchivesReadOrFailNamingTheFile() throws IOException {
    NpzDataTest maker = new NpzDataTest();
    maker.dir = dir;
    for (boolean deflate : new boolean[] {false, true}) {
      byte[] valid = Files.readAllBytes(NpzDataTest.npz(dir.resolve("valid" + deflate + ".npz"), deflate,
          maker.mnistLike()));
      fuzz(valid, deflate ? "deflated.npz" : "npz", valid.length, f -> {
        NpzData.read(f, Split.TRAIN);
        NpzData.read(f, Split.TEST);
      });
    }
  }

  @Test
  void editedIdxFilesReadOrFailNamingTheFile() throws IOException {
    byte[] images = IdxReaderTest.idx(IdxReader.IMAGES_MAGIC, new int[] {3, 4, 4}, new byte[48]);
    fuzz(images, "idx3", IdxReader::readImages);
    byte[] labels = IdxReaderTest.idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[] {1, 2, 0});
    fuzz(labels, "idx1", IdxReader::readLabels);
  }

  @Test
  void editedPngImagesReadOrFailNamingTheFile() throws IOException {
    fuzzPng(java.awt.image.BufferedImage.TYPE_BYTE_GRAY, "png");
  }

  /** A color image is read as RGB: its header decides, so edits reach the IHDR's bit depth and color type too. */
  @Test
  void editedColorPngImagesReadOrFailNamingTheFile() throws IOException {
    fuzzPng(java.awt.image.BufferedImage.TYPE_INT_RGB, "rgb.png");
  }

  private void fuzzPng(int type, String ext) throws IOException {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(6, 5, type);
    Path png = dir.resolve("valid." + ext);
    javax.imageio.ImageIO.write(img, "png", png.toFile());
    fuzz(Files.readAllBytes(png), ext, type == java.awt.image.BufferedImage.TYPE_INT_RGB ? 33 : 24, f -> {
      Path folder = Files.createDirectories(dir.resolve("folder_" + f.getFileName()));
      Files.copy(f, folder.resolve("a.png"));
      try {
        PngFolderReader.read(folder);
      } catch (MalformedDataException e) {
        throw new MalformedDataException(f, e.getMessage(), e);
      }
    });
  }

  private interface Reader {
    void read(Path file) throws IOException;
  }

  private void fuzz(byte[] valid, String ext, Reader reader) throws IOException {
    fuzz(valid, ext, 24, reader);
  }

  /** Edits overwrite a byte among the first {@code headerBytes}, cut the file short or lengthen it. */
  private void fuzz(byte[] valid, String ext, int headerBytes, Reader reader) throws IOException {
    Random r = new Random(ext.hashCode());
    List<String> wrong = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < EDITS; i++) {
      byte[] b = valid.clone();
      String edit;
      switch (r.nextInt(3)) {
        case 0 -> {
          int at = r.nextInt(Math.min(b.length, headerBytes));
          b[at] = (byte) r.nextInt(256);
          edit = "byte " + at + " = " + b[at];
        }
        case 1 -> {
          b = Arrays.copyOf(b, r.nextInt(b.length));
          edit = "cut to " + b.length + " bytes";
        }
        default -> {
          b = Arrays.copyOf(b, b.length + 1 + r.nextInt(16));
          edit = "lengthened to " + b.length + " bytes";
        }
      }
      Path f = Files.write(dir.resolve("edit" + i + "." + ext), b);
      try {
        reader.read(f);
      } catch (MalformedDataException e) {
        refused++;
        if (!e.getMessage().contains(f.toString())) {
          wrong.add(edit + ": message without the file: " + e.getMessage());
        }
      } catch (Exception | OutOfMemoryError e) {
        wrong.add(edit + ": " + e);
      }
    }
    assertTrue(refused > 0, ext + ": no edit was refused");
    assertTrue(wrong.isEmpty(), ext + ":\n" + String.join("\n", wrong));
  }
}
