package ai.attune.core.safetensors;

import ai.attune.core.run.AtomicFiles;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes safetensors files the way HF's {@code safetensors} library does, byte for byte in layout.
 *
 * <p>Layout: u64 little-endian header length, a compact JSON header ({@code __metadata__} first,
 * its keys sorted so that the same inputs always give the same bytes, then tensors in the given
 * order) padded with spaces so the data section starts 8-byte aligned, then the tensors back to
 * back. Every file is written to a temporary file in the same folder, forced to disk and renamed
 * over the target, so a reader never sees a half-written file.
 */
public final class SafetensorsWriter {
  /** The data section starts at a multiple of this many bytes. */
  static final int ALIGNMENT = 8;

  private SafetensorsWriter() {}

  /**
   * Writes one file atomically. {@code metadata} (may be null) gets {@code "format": "pt"} unless
   * it names a format.
   */
  public static void write(Path file, List<HostTensor> tensors, Map<String, String> metadata) {
    byte[] header = header(file, tensors, metadata);
    atomicWrite(
        file,
        channel -> {
          ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
          prefix.putLong(header.length).put(header).flip();
          writeFully(channel, prefix);
          for (HostTensor t : tensors) {
            writeFully(channel, t.data());
          }
        });
  }

  /**
   * Writes {@code model-0000k-of-0000n.safetensors} shards of at most {@code maxShardBytes} each (a
   * larger tensor gets a shard of its own) plus {@code model.safetensors.index.json}, as HF's
   * {@code save_pretrained} does. Shard files of an earlier save in the folder that the new index
   * does not name are deleted, as HF does, so the folder never mixes two saves.
   */
  public static void writeSharded(
      Path dir, List<HostTensor> tensors, long maxShardBytes, Map<String, String> metadata) {
    if (maxShardBytes <= 0) {
      throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
    }
    List<List<HostTensor>> shards = plan(tensors, maxShardBytes);
    Map<String, String> weightMap = new TreeMap<>();
    Set<String> shardNames = new HashSet<>();
    long totalBytes = 0;
    long totalParameters = 0;
    for (int i = 0; i < shards.size(); i++) {
      String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
      write(dir.resolve(name), shards.get(i), metadata);
      shardNames.add(name);
      for (HostTensor t : shards.get(i)) {
        weightMap.put(t.name(), name);
        totalBytes += t.byteLength();
        totalParameters += t.numel();
      }
    }
    Path index = dir.resolve(SafetensorsCheckpoint.INDEX_FILE);
    byte[] json = indexJson(index, weightMap, totalBytes, totalParameters);
    atomicWrite(index, channel -> writeFully(channel, ByteBuffer.wrap(json)));
    deleteStaleShards(dir, shardNames);
  }

  /** The padded header bytes for {@code tensors} (without the 8-byte length). */
  static byte[] header(Path file, List<HostTensor> tensors, Map<String, String> metadata) {
    ObjectNode root = Header.JSON.createObjectNode();
    Map<String, String> meta = new TreeMap<>(metadata == null ? Map.of() : metadata);
    meta.putIfAbsent("format", "pt");
    ObjectNode metaNode = root.putObject(Header.METADATA_KEY);
    meta.forEach(metaNode::put);
    Set<String> seen = new HashSet<>();
    long offset = 0;
    for (HostTensor t : tensors) {
      if (t.name().equals(Header.METADATA_KEY) || !seen.add(t.name())) {
        throw new SafetensorsException(
            file, t.name(), "tensor name is reserved or appears twice", null);
      }
      ObjectNode entry = root.putObject(t.name());
      entry.put("dtype", t.dtype().name());
      ArrayNode shape = entry.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      entry.putArray("data_offsets").add(offset).add(offset + t.byteLength());
      offset += t.byteLength();
    }
    try {
      return pad(Header.JSON.writeValueAsBytes(root));
    } catch (IOException e) {
      throw new SafetensorsException(file, "cannot serialise the header: " + e, e);
    }
  }

  private static byte[] pad(byte[] json) {
    int padded = (json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    byte[] out = new byte[padded];
    System.arraycopy(json, 0, out, 0, json.length);
    Arrays.fill(out, json.length, padded, (byte) ' ');
    return out;
  }

  private static List<List<HostTensor>> plan(List<HostTensor> tensors, long maxShardBytes) {
    List<List<HostTensor>> shards = new ArrayList<>();
    List<HostTensor> current = new ArrayList<>();
    long size = 0;
    for (HostTensor t : tensors) {
      if (!current.isEmpty() && size + t.byteLength() > maxShardBytes) {
        shards.add(current);
        current = new ArrayList<>();
        size = 0;
      }
      current.add(t);
      size += t.byteLength();
    }
    shards.add(current);
    return shards;
  }

  private static byte[] indexJson(
      Path index, Map<String, String> weightMap, long totalBytes, long totalParameters) {
    ObjectNode root = Header.JSON.createObjectNode();
    root.putObject("metadata")
        .put("total_parameters", totalParameters)
        .put("total_size", totalBytes);
    ObjectNode map = root.putObject("weight_map");
    weightMap.forEach(map::put);
    try {
      String text = Header.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
      return (text + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SafetensorsException(index, "cannot serialise the index: " + e, e);
    }
  }

  private static void deleteStaleShards(Path dir, Set<String> keep) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "model-*-of-*.safetensors")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (name.matches("model-\\d{5}-of-\\d{5}\\.safetensors") && !keep.contains(name)) {
          Files.delete(f);
        }
      }
    } catch (IOException e) {
      throw new SafetensorsException(dir, "cannot remove shards of an earlier save: " + e, e);
    }
  }

  /** Writes the body of a file. */
  @FunctionalInterface
  private interface Body {
    void writeTo(FileChannel channel) throws IOException;
  }

  private static void atomicWrite(Path file, Body body) {
    try {
      AtomicFiles.writeChannel(file, body::writeTo);
    } catch (IOException | UncheckedIOException e) {
      throw new SafetensorsException(file, "cannot write: " + e, e);
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }
}
