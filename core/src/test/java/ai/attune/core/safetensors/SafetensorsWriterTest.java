package ai.attune.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("engine")
class SafetensorsWriterTest {
  @TempDir Path dir;

  /** The metadata's key order does not reach the bytes: the same inputs, the same file. */
  @Test
  void metadataKeysAreWrittenSorted() {
    List<HostTensor> tensors = List.of(HostTensor.ofFloats("a", new long[] {1}, new float[] {1}));
    Map<String, String> forward = new java.util.LinkedHashMap<>();
    forward.put("format", "pt");
    forward.put("perturbed", "yes");
    forward.put("step", "3");
    Map<String, String> backward = new java.util.LinkedHashMap<>();
    backward.put("step", "3");
    backward.put("perturbed", "yes");
    backward.put("format", "pt");
    String one =
        new String(SafetensorsWriter.header(null, tensors, forward), StandardCharsets.UTF_8);
    String two =
        new String(SafetensorsWriter.header(null, tensors, backward), StandardCharsets.UTF_8);
    assertThat(one)
        .isEqualTo(two)
        .startsWith("{\"__metadata__\":{\"format\":\"pt\",\"perturbed\":\"yes\",\"step\":\"3\"}");
  }

  @Test
  void readFloatsWidensEveryFloatTensorAndLeavesIntegerBuffersOut() throws IOException {
    Path file = dir.resolve("w.safetensors");
    SafetensorsWriter.write(
        file,
        List.of(
            HostTensor.ofFloats("a", new long[] {3}, new float[] {1, 2, 3}),
            HostTensor.ofLongs("ids", new long[] {2}, new long[] {4, 5}),
            HostTensor.ofFloats("c", new long[] {2}, new float[] {0.5f, 4f})
                .convert(SafetensorsDtype.BF16)),
        Map.of());
    Map<String, float[]> read = SafetensorsCheckpoint.readFloats(file);
    assertThat(read.keySet()).containsExactly("a", "c");
    assertThat(read.get("a")).containsExactly(1, 2, 3);
    assertThat(read.get("c")).containsExactly(0.5f, 4f);
  }

  @Test
  void layoutMatchesTheSafetensorsFormat() throws IOException {
    Path file = dir.resolve("m.safetensors");
    List<HostTensor> tensors =
        List.of(
            HostTensor.ofFloats("a", new long[] {3}, new float[] {1, 2, 3}),
            HostTensor.ofLongs("b", new long[] {1, 2}, new long[] {-1, 7}),
            HostTensor.ofFloats("c", new long[] {2}, new float[] {0.5f, 4f})
                .convert(SafetensorsDtype.BF16));
    SafetensorsWriter.write(file, tensors, Map.of("step", "10"));

    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    long n = bytes.getLong(0);
    assertThat((8 + n) % 8).isZero();
    String header = new String(bytes.array(), 8, (int) n, StandardCharsets.UTF_8);
    assertThat(header).startsWith("{\"__metadata__\":{").doesNotContain("\n");
    assertThat(header.substring(header.lastIndexOf('}') + 1)).matches(" *");
    JsonNode json = new ObjectMapper().readTree(header);
    assertThat(json.get("__metadata__").get("format").asText()).isEqualTo("pt");
    assertThat(json.get("__metadata__").get("step").asText()).isEqualTo("10");
    assertThat(json.get("b").get("dtype").asText()).isEqualTo("I64");
    assertThat(json.get("b").get("shape").toString()).isEqualTo("[1,2]");

    long expectedBegin = 0;
    Iterator<String> names = json.fieldNames();
    names.next(); // __metadata__
    for (HostTensor t : tensors) {
      JsonNode offsets = json.get(names.next()).get("data_offsets");
      assertThat(offsets.get(0).asLong()).isEqualTo(expectedBegin);
      expectedBegin += t.byteLength();
      assertThat(offsets.get(1).asLong()).isEqualTo(expectedBegin);
    }
    assertThat(bytes.capacity()).isEqualTo(8 + n + expectedBegin);
    long dataStart = 8 + n;
    assertThat(bytes.getFloat((int) dataStart + 8)).isEqualTo(3f);
    assertThat(bytes.getLong((int) dataStart + 12)).isEqualTo(-1L);
    assertThat(bytes.getShort((int) dataStart + 28)).isEqualTo((short) 0x3f00); // bf16 0.5
  }

  @Test
  void shardedWriteReadsBackThroughTheIndex() throws IOException {
    List<HostTensor> tensors = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      float[] v = new float[10 * (i + 1)];
      Arrays.fill(v, i);
      tensors.add(HostTensor.ofFloats("layer." + i + ".w", new long[] {i + 1, 10}, v));
    }
    tensors.add(HostTensor.ofLongs("ids", new long[] {2}, new long[] {5, 6}));
    // 40, 80, 120 | 160 (alone: over the limit with the next) | 200, 16
    SafetensorsWriter.writeSharded(dir, tensors, 250, Map.of());

    JsonNode index =
        new ObjectMapper().readTree(dir.resolve("model.safetensors.index.json").toFile());
    long total = tensors.stream().mapToLong(HostTensor::byteLength).sum();
    assertThat(index.get("metadata").get("total_size").asLong()).isEqualTo(total);
    assertThat(index.get("weight_map").get("layer.0.w").asText())
        .isEqualTo("model-00001-of-00003.safetensors");
    try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir)) {
      assertThat(ckpt.files()).hasSize(3);
      assertThat(ckpt.names())
          .containsExactlyInAnyOrderElementsOf(tensors.stream().map(HostTensor::name).toList());
      for (HostTensor t : tensors) {
        assertThat(ckpt.read(t.name())).isEqualTo(t);
        assertThat(Files.size(ckpt.fileOf(t.name()))).isGreaterThan(t.byteLength());
      }
      assertThat(ckpt.fileOf("layer.2.w").getFileName())
          .hasToString("model-00001-of-00003.safetensors");
      assertThat(ckpt.fileOf("layer.3.w").getFileName())
          .hasToString("model-00002-of-00003.safetensors");
      assertThat(ckpt.fileOf("ids").getFileName()).hasToString("model-00003-of-00003.safetensors");
    }
    assertThat(dirFiles()).noneMatch(f -> f.endsWith(".tmp"));
  }

  @Test
  void resavingWithFewerShardsRemovesStaleOnes() throws IOException {
    List<HostTensor> tensors =
        List.of(
            HostTensor.ofFloats("a", new long[] {8}, new float[8]),
            HostTensor.ofFloats("b", new long[] {8}, new float[8]));
    SafetensorsWriter.writeSharded(dir, tensors, 32, null);
    assertThat(dirFiles()).contains("model-00002-of-00002.safetensors");
    SafetensorsWriter.writeSharded(dir, tensors, 1 << 20, null);
    assertThat(dirFiles())
        .containsExactlyInAnyOrder(
            "model-00001-of-00001.safetensors", "model.safetensors.index.json");
    try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir)) {
      assertThat(ckpt.names()).containsExactly("a", "b");
    }
  }

  @Test
  void overwritesAtomicallyAndRefusesDuplicateNames() throws IOException {
    Path file = dir.resolve("x.safetensors");
    SafetensorsWriter.write(
        file, List.of(HostTensor.ofFloats("a", new long[] {1}, new float[] {1})), null);
    try (SafetensorsFile open = SafetensorsFile.open(file)) {
      HostTensor mapped = open.read("a");
      SafetensorsWriter.write(
          file, List.of(HostTensor.ofFloats("a", new long[] {1}, new float[] {2})), null);
      assertThat(mapped.toFloats()).containsExactly(1f); // old mapping still intact
    }
    try (SafetensorsFile reopened = SafetensorsFile.open(file)) {
      assertThat(reopened.read("a").toFloats()).containsExactly(2f);
    }
    HostTensor a = HostTensor.ofFloats("a", new long[] {1}, new float[] {1});
    assertThatThrownBy(
            () -> SafetensorsWriter.write(dir.resolve("dup.safetensors"), List.of(a, a), null))
        .isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("dup.safetensors")
        .hasMessageContaining("'a'");
    assertThat(dirFiles()).containsExactly("x.safetensors");
  }

  private List<String> dirFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
