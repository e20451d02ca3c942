package org.jlip.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A data set in a numpy .npz archive (np.savez or np.savez_compressed: a zip of NAME.npy entries) laid out as
 * keras.datasets' mnist.npz: x_train, y_train, x_test, y_test. Only the split's two arrays are read, each bounded
 * while it inflates, so an archive claiming or inflating to more than the heap can hold is refused by name instead
 * of exhausting memory.
 */
final class NpzData {
  static final int MAX_ENTRIES = 10_000;

  private NpzData() {}

  static boolean isNpz(Path path) {
    return path.getFileName() != null && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npz")
        && Files.isRegularFile(path);
  }

  /** The split's images (x_train or x_test) and labels (y_train or y_test). */
  static LabelledFolder.Scaled read(Path file, Split split) throws IOException {
    String suffix = split == Split.TRAIN ? "train" : "test";
    String x = "x_" + suffix;
    String y = "y_" + suffix;
    Map<String, byte[]> arrays = entries(file, List.of(x, y));
    Path xName = file.resolve(x + ".npy");
    Path yName = file.resolve(y + ".npy");
    return LabelledFolder.arrays(xName, NpyReader.read(xName, arrays.get(x)), yName, arrays.get(y));
  }

  /** The named arrays' .npy bytes. */
  private static Map<String, byte[]> entries(Path file, List<String> names) throws IOException {
    DataFiles.refuseSpecial(file, "a .npz archive");
    long limit = Math.min(Integer.MAX_VALUE - 8L, Runtime.getRuntime().maxMemory() / 4);
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      if (zip.size() > MAX_ENTRIES) {
        throw new MalformedDataException(file, "holds " + zip.size() + " entries, more than " + MAX_ENTRIES);
      }
      for (String name : names) {
        ZipEntry entry = zip.getEntry(name + ".npy");
        if (entry == null) {
          throw new MalformedDataException(file, "expected the arrays " + String.join(", ", names)
              + " (np.savez(file, x_train=..., y_train=..., x_test=..., y_test=...), as keras.datasets' mnist.npz),"
              + " found " + Collections.list(zip.entries()).stream().map(ZipEntry::getName).limit(20).toList());
        }
        try (InputStream in = zip.getInputStream(entry)) {
          byte[] bytes = in.readNBytes((int) limit + 1);
          if (bytes.length > limit) {
            throw new MalformedDataException(file, entry.getName() + " inflates beyond " + limit + " bytes, a quarter"
                + " of the heap (-Xmx) or the largest array Java holds");
          }
          out.put(name, bytes);
        }
      }
    } catch (ZipException e) {
      throw new MalformedDataException(file, "not a readable .npz (zip) archive: " + e.getMessage(), e);
    } catch (java.io.EOFException e) {
      throw new MalformedDataException(file, "truncated .npz (zip) archive: " + e.getMessage(), e);
    }
    return out;
  }
}
