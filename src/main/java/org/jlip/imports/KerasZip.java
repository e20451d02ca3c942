package org.jlip.imports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads the entries of a Keras 3 {@code .keras} zip that jlip needs into memory, never onto disk. Refuses entry
 * names that could escape a folder ('..' segments, absolute or drive paths, backslashes), too many entries, and
 * entries larger than the limits (counted while inflating, so a zip bomb stops at the limit).
 */
final class KerasZip {
  static final long MAX_CONFIG_BYTES = 16L << 20;
  static final long MAX_WEIGHTS_BYTES = 1L << 30;
  static final int MAX_ENTRIES = 1000;
  private static final Set<String> WANTED = Set.of("config.json", "model.weights.h5", "metadata.json");

  private KerasZip() {}

  /** The wanted entries by name (config.json, model.weights.h5, metadata.json when present). */
  static Map<String, byte[]> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new MalformedModelException(".keras file not found: " + file);
    }
    Map<String, byte[]> out = new HashMap<>();
    int count = 0;
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        String name = e.getName();
        checkName(file, name);
        if (++count > MAX_ENTRIES) {
          throw new UntrustedModelException(file + " has more than " + MAX_ENTRIES + " entries");
        }
        if (!WANTED.contains(name)) {
          continue;
        }
        if (out.containsKey(name)) {
          throw new UntrustedModelException(file + " holds entry '" + name + "' twice");
        }
        long limit = name.equals("model.weights.h5") ? MAX_WEIGHTS_BYTES : MAX_CONFIG_BYTES;
        out.put(name, readLimited(zip, limit, file + "!" + name));
      }
    } catch (ZipException e) {
      throw new MalformedModelException(file + " is not a valid zip (.keras) file: " + e.getMessage(), e);
    }
    if (count == 0) {
      throw new MalformedModelException(file + " is empty or not a zip (.keras) file");
    }
    for (String required : new String[] {"config.json", "model.weights.h5"}) {
      if (!out.containsKey(required)) {
        throw new MalformedModelException(file + " has no " + required + " (not a Keras 3 .keras file?)");
      }
    }
    return out;
  }

  static void checkName(Path file, String name) throws UntrustedModelException {
    boolean escapes = name.startsWith("/") || name.contains("\\") || name.matches("^[A-Za-z]:.*")
        || name.equals("..") || name.startsWith("../") || name.contains("/../") || name.endsWith("/..");
    if (escapes) {
      throw new UntrustedModelException(file + " holds an entry with an unsafe path: '" + name + "'");
    }
  }

  private static byte[] readLimited(InputStream in, long limit, String what) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    long total = 0;
    for (int n = in.read(buf); n > 0; n = in.read(buf)) {
      total += n;
      if (total > limit) {
        throw new UntrustedModelException(what + " is larger than the limit of " + limit + " bytes");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }
}
