package org.jlip.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON Lines metrics file: each {@link #append} writes one JSON object on its own line and flushes, so a crash
 * loses at most the line being written and other processes can tail the file.
 */
public final class JsonLines implements Closeable {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT).disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private final Path file;
  private final Writer writer;

  private JsonLines(Path file, Writer writer) {
    this.file = file;
    this.writer = writer;
  }

  /** Opens file for appending, creating it and its parent directories if needed. */
  public static JsonLines open(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    return new JsonLines(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND, StandardOpenOption.WRITE));
  }

  /**
   * Appends record (a Map, a Java record, a JsonNode or any Jackson-serialisable bean) as one line.
   *
   * @throws IllegalArgumentException if record does not serialise to a JSON object
   */
  public synchronized void append(Object record) throws IOException {
    writer.write(line(record));
    writer.flush();
  }

  /** Replaces file, atomically, by one line per record (each as {@link #append} writes it). */
  public static void rewrite(Path file, List<?> records) throws IOException {
    StringBuilder text = new StringBuilder();
    for (Object record : records) {
      text.append(line(record));
    }
    AtomicFiles.writeString(file, text.toString());
  }

  private static String line(Object record) throws IOException {
    JsonNode node = MAPPER.valueToTree(record);
    if (!node.isObject()) {
      throw new IllegalArgumentException("record must serialise to a JSON object, got " + node.getNodeType());
    }
    // Compact output escapes control characters, so the line never contains a raw newline.
    return MAPPER.writeValueAsString(node) + "\n";
  }

  /** The file being written. */
  public Path file() {
    return file;
  }

  @Override
  public synchronized void close() throws IOException {
    writer.close();
  }

  /** Reads every non-blank line of a JSON Lines file as an object node. */
  public static List<JsonNode> readAll(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = MAPPER.readTree(line);
        } catch (IOException e) {
          throw new IOException(file + ":" + number + ": expected a JSON object, found invalid JSON", e);
        }
        if (!node.isObject()) {
          throw new IOException(file + ":" + number + ": expected a JSON object, found " + node.getNodeType());
        }
        out.add(node);
      }
    }
    return out;
  }
}
