package ai.attune.core.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parsed and fully validated header of one safetensors file.
 *
 * <p>Validation is complete: every tensor's range lies inside the data section of the file as it is
 * on disk, so mapping any of them later cannot fault.
 *
 * @param tensors the entries in header order
 * @param metadata the {@code __metadata__} strings (empty when absent)
 * @param dataStart absolute file offset of the data section ({@code 8 + header length})
 */
record Header(Map<String, TensorInfo> tensors, Map<String, String> metadata, long dataStart) {
  /** Headers past this size are refused as corrupt (HF itself caps them at 100 MB). */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  static final String METADATA_KEY = "__metadata__";

  static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** Reads and validates the header of {@code file} through {@code channel}. */
  static Header read(Path file, FileChannel channel) throws IOException {
    long fileSize = channel.size();
    if (fileSize < 8) {
      throw new SafetensorsException(
          file, "file is " + fileSize + " bytes, shorter than the 8-byte header length");
    }
    long n = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 2 || n > MAX_HEADER_BYTES) {
      throw new SafetensorsException(
          file,
          "header length "
              + Long.toUnsignedString(n)
              + " is not plausible (at most "
              + MAX_HEADER_BYTES
              + " bytes); not a safetensors file?");
    }
    if (8 + n > fileSize) {
      throw new SafetensorsException(
          file,
          "header length "
              + n
              + " runs past the end of the file ("
              + fileSize
              + " bytes); truncated?");
    }
    ByteBuffer json = readFully(channel, 8, (int) n);
    return parse(file, json.array(), 8 + n, fileSize - 8 - n);
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      if (channel.read(buf, position + buf.position()) < 0) {
        throw new IOException("unexpected end of file at " + (position + buf.position()));
      }
    }
    return buf.flip();
  }

  private static Header parse(Path file, byte[] json, long dataStart, long dataSize) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new SafetensorsException(
          file, "header is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new SafetensorsException(file, "header cannot be read: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new SafetensorsException(file, "header is not a JSON object");
    }
    Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = Map.of();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      if (e.getKey().equals(METADATA_KEY)) {
        metadata = metadata(file, e.getValue());
      } else {
        tensors.put(e.getKey(), entry(file, e.getKey(), e.getValue(), dataSize));
      }
    }
    return new Header(
        Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata), dataStart);
  }

  private static Map<String, String> metadata(Path file, JsonNode node) {
    if (!node.isObject()) {
      throw new SafetensorsException(file, METADATA_KEY + " is not a JSON object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw new SafetensorsException(
            file, METADATA_KEY + " value of '" + e.getKey() + "' is not a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private static TensorInfo entry(Path file, String name, JsonNode node, long dataSize) {
    if (!node.isObject()) {
      throw new SafetensorsException(file, name, "header entry is not a JSON object", null);
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw new SafetensorsException(file, name, "header entry has no string 'dtype'", null);
    }
    SafetensorsDtype dtype;
    try {
      dtype = SafetensorsDtype.parse(dtypeNode.asText());
    } catch (IllegalArgumentException e) {
      throw new SafetensorsException(file, name, e.getMessage(), e);
    }
    long[] shape = longs(file, name, node, "shape", -1);
    long[] offsets = longs(file, name, node, "data_offsets", 2);
    long begin = offsets[0];
    long end = offsets[1];
    if (end < begin) {
      throw new SafetensorsException(
          file, name, "data_offsets [" + begin + ", " + end + "] end before they begin", null);
    }
    if (end > dataSize) {
      throw new SafetensorsException(
          file,
          name,
          "data_offsets ["
              + begin
              + ", "
              + end
              + "] run past the end of the data"
              + " section ("
              + dataSize
              + " bytes); truncated file?",
          null);
    }
    long bytes = byteLength(file, name, dtype, shape);
    if (end - begin != bytes) {
      throw new SafetensorsException(
          file,
          name,
          "shape "
              + Arrays.toString(shape)
              + " of "
              + dtype
              + " needs "
              + bytes
              + " bytes but data_offsets ["
              + begin
              + ", "
              + end
              + "] span "
              + (end - begin),
          null);
    }
    return new TensorInfo(name, dtype, shape, begin, end);
  }

  private static long byteLength(Path file, String name, SafetensorsDtype dtype, long[] shape) {
    try {
      return Math.multiplyExact(Shapes.numel(shape), dtype.byteSize());
    } catch (ArithmeticException e) {
      throw new SafetensorsException(
          file, name, "shape " + Arrays.toString(shape) + " overflows a 64-bit size", e);
    }
  }

  private static long[] longs(Path file, String name, JsonNode entry, String key, int size) {
    JsonNode node = entry.get(key);
    if (node == null || !node.isArray() || (size >= 0 && node.size() != size)) {
      throw new SafetensorsException(
          file,
          name,
          "header entry has no '"
              + key
              + "' array"
              + (size >= 0 ? " of " + size + " integers" : ""),
          null);
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
        throw new SafetensorsException(
            file, name, "'" + key + "' holds " + v + ", not a non-negative integer", null);
      }
      out[i] = v.asLong();
    }
    return out;
  }
}
