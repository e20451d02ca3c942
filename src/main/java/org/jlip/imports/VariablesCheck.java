package org.jlip.imports;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.proto.BundleEntryProto;
import org.tensorflow.proto.BundleHeaderProto;

/**
 * Checks a SavedModel's variables folder (a TensorFlow tensor bundle) before TensorFlow reads it: the index must
 * parse, and every tensor it lists must lie inside its data shard, so a truncated or missing shard is reported
 * here as a {@link MalformedModelException} instead of surfacing from native code.
 *
 * <p>The index is a LevelDB-style table: a 48-byte footer (metaindex and index block handles as varints, then
 * the magic number), blocks of prefix-compressed entries each followed by a 5-byte trailer (compression type,
 * CRC). The entry with the empty key is a BundleHeaderProto, the others BundleEntryProtos (shard, offset, size).
 */
final class VariablesCheck {
  private static final long TABLE_MAGIC = 0xdb4775248b80fb57L;
  private static final int FOOTER = 48;
  private static final long MAX_INDEX_BYTES = 64L << 20;

  private VariablesCheck() {}

  static void check(Path variables) throws IOException {
    Path index = variables.resolve("variables.index");
    if (!Files.isDirectory(variables) || !Files.isRegularFile(index)) {
      throw new MalformedModelException("missing " + index + " (a SavedModel needs its variables folder)");
    }
    long size = Files.size(index);
    if (size < FOOTER || size > MAX_INDEX_BYTES) {
      throw new MalformedModelException(index + " has " + size + " bytes: not a tensor bundle index");
    }
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(index)).order(ByteOrder.LITTLE_ENDIAN);
    try {
      checkIndex(variables, index, buf);
    } catch (IndexOutOfBoundsException | IllegalArgumentException | InvalidProtocolBufferException e) {
      throw new MalformedModelException(index + " is corrupt: " + e.getMessage(), e);
    }
  }

  private static void checkIndex(Path variables, Path index, ByteBuffer buf) throws IOException {
    int n = buf.capacity();
    if (buf.getLong(n - 8) != TABLE_MAGIC) {
      throw new MalformedModelException(index + " is corrupt: bad table magic number");
    }
    buf.position(n - FOOTER);
    readVarint(buf);
    readVarint(buf);
    long indexOffset = readVarint(buf);
    long indexSize = readVarint(buf);
    ByteBuffer indexBlock = block(buf, indexOffset, indexSize, index);
    int numShards = -1;
    long[] shardSizes = null;
    for (byte[][] handle : entries(indexBlock)) {
      ByteBuffer h = ByteBuffer.wrap(handle[1]);
      ByteBuffer data = block(buf, readVarint(h), readVarint(h), index);
      for (byte[][] e : entries(data)) {
        String key = new String(e[0], java.nio.charset.StandardCharsets.UTF_8);
        if (key.isEmpty()) {
          numShards = BundleHeaderProto.parseFrom(e[1]).getNumShards();
          shardSizes = shardSizes(variables, numShards);
          continue;
        }
        if (shardSizes == null) {
          throw new MalformedModelException(index + " is corrupt: tensor '" + key + "' before the bundle header");
        }
        BundleEntryProto entry = BundleEntryProto.parseFrom(e[1]);
        if (entry.getSlicesCount() > 0) {
          continue;
        }
        int shard = entry.getShardId();
        if (shard < 0 || shard >= numShards) {
          throw new MalformedModelException(index + ": tensor '" + key + "' names shard " + shard + " of "
              + numShards);
        }
        if (entry.getOffset() < 0 || entry.getSize() < 0
            || entry.getOffset() + entry.getSize() > shardSizes[shard]) {
          throw new MalformedModelException("variables data shard " + shardName(shard, numShards)
              + " is truncated: tensor '" + key + "' needs bytes [" + entry.getOffset() + ", "
              + (entry.getOffset() + entry.getSize()) + ") but the file has " + shardSizes[shard]);
        }
      }
    }
    if (numShards < 0) {
      throw new MalformedModelException(index + " is corrupt: no bundle header");
    }
  }

  private static long[] shardSizes(Path variables, int numShards) throws IOException {
    if (numShards <= 0 || numShards > 100_000) {
      throw new MalformedModelException("variables.index declares " + numShards + " data shards");
    }
    long[] sizes = new long[numShards];
    for (int i = 0; i < numShards; i++) {
      Path shard = variables.resolve(shardName(i, numShards));
      if (!Files.isRegularFile(shard)) {
        throw new MalformedModelException("missing variables data shard " + shard);
      }
      sizes[i] = Files.size(shard);
    }
    return sizes;
  }

  private static String shardName(int shard, int numShards) {
    return String.format("variables.data-%05d-of-%05d", shard, numShards);
  }

  /** The block's contents; refuses compressed blocks (TensorFlow writes bundles uncompressed). */
  private static ByteBuffer block(ByteBuffer file, long offset, long size, Path index) throws IOException {
    if (offset < 0 || size < 0 || offset + size + 5 > file.capacity()) {
      throw new MalformedModelException(index + " is corrupt: block [" + offset + ", +" + size + ") outside the file");
    }
    if (file.get((int) (offset + size)) != 0) {
      throw new MalformedModelException(index + ": compressed blocks are not supported");
    }
    ByteBuffer b = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    b.position((int) offset).limit((int) (offset + size));
    return b.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Key/value pairs of a block, keys rebuilt from their shared prefixes. */
  private static java.util.List<byte[][]> entries(ByteBuffer block) {
    int n = block.capacity();
    int restarts = block.getInt(n - 4);
    int end = n - 4 - 4 * restarts;
    if (restarts < 0 || end < 0) {
      throw new IllegalArgumentException("bad restart count " + restarts);
    }
    java.util.List<byte[][]> out = new java.util.ArrayList<>();
    byte[] last = new byte[0];
    block.position(0);
    while (block.position() < end) {
      int shared = (int) readVarint(block);
      int unshared = (int) readVarint(block);
      int valueLength = (int) readVarint(block);
      if (shared > last.length || unshared < 0 || valueLength < 0) {
        throw new IllegalArgumentException("bad entry lengths");
      }
      byte[] key = new byte[shared + unshared];
      System.arraycopy(last, 0, key, 0, shared);
      block.get(key, shared, unshared);
      byte[] value = new byte[valueLength];
      block.get(value);
      out.add(new byte[][] {key, value});
      last = key;
    }
    return out;
  }

  private static long readVarint(ByteBuffer b) {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte x = b.get();
      result |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return result;
      }
    }
    throw new IllegalArgumentException("varint too long");
  }
}
