package ai.attune.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.testsupport.FixturePaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by HF transformers ({@code save_pretrained}), read in place. */
@Tag("engine")
class SafetensorsFixturesTest {
  @TempDir Path dir;

  @Test
  void readsOptTinyEmbeddings() {
    Path file = FixturePaths.root().resolve("opt-tiny/model.safetensors");
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertThat(f.metadata()).containsEntry("format", "pt");
      assertThat(f.dataStart() % 8).isZero();
      TensorInfo info = f.info("model.decoder.embed_tokens.weight");
      assertThat(info.shape()).containsExactly(512, 64);
      assertThat(info.dtype()).isEqualTo(SafetensorsDtype.F32);
      float[] values = f.read("model.decoder.embed_tokens.weight").toFloats();
      assertThat(values).hasSize(512 * 64);
      // first and last four values as Python's struct.unpack('<4f', ...) reads them
      assertThat(Arrays.copyOf(values, 4))
          .containsExactly(
              0.03406444564461708f,
              0.02691020630300045f,
              0.007716056425124407f,
              -0.01654989831149578f);
      assertThat(Arrays.copyOfRange(values, values.length - 4, values.length))
          .containsExactly(
              0.007632175460457802f,
              -0.002382912440225482f,
              -0.021788310259580612f,
              0.001643343479372561f);
    }
  }

  @Test
  void opensShardedLlamaAndReadsEveryIndexedTensor() throws IOException {
    Path folder = FixturePaths.root().resolve("llama3-tiny");
    JsonNode index =
        new ObjectMapper().readTree(folder.resolve("model.safetensors.index.json").toFile());
    try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(folder)) {
      assertThat(ckpt.files()).hasSize(12);
      assertThat(ckpt.names()).hasSize(index.get("weight_map").size());
      assertThat(ckpt.metadata()).containsEntry("total_size", "558336");
      long total = 0;
      for (Map.Entry<String, JsonNode> e : index.get("weight_map").properties()) {
        String name = e.getKey();
        assertThat(ckpt.fileOf(name).getFileName()).hasToString(e.getValue().asText());
        HostTensor t = ckpt.read(name);
        assertThat(t.shape()).isEqualTo(ckpt.info(name).shape());
        assertThat(t.toFloats()).hasSize((int) t.numel());
        total += t.byteLength();
      }
      assertThat(total).isEqualTo(558336);
      assertThat(ckpt.info("model.embed_tokens.weight").shape()).containsExactly(512, 64);
      assertThat(ckpt.info("model.layers.0.self_attn.k_proj.weight").shape())
          .containsExactly(32, 64);
      assertThat(ckpt.info("model.norm.weight").shape()).containsExactly(64);
    }
  }

  @Test
  void rewritingHfFilesReproducesThemByteForByte() throws IOException {
    for (String model : List.of("opt-tiny", "qwen2-tiny", "roberta-tiny", "qwen2_5_vl-tiny")) {
      Path original = FixturePaths.root().resolve(model).resolve("model.safetensors");
      Path copy = dir.resolve(model + ".safetensors");
      try (SafetensorsFile f = SafetensorsFile.open(original)) {
        List<HostTensor> tensors = new ArrayList<>();
        f.tensors().keySet().forEach(n -> tensors.add(f.read(n)));
        SafetensorsWriter.write(copy, tensors, f.metadata());
      }
      assertThat(Files.mismatch(original, copy)).as(model).isEqualTo(-1L);
    }
  }

  @Test
  void readsReferenceOutputsWithIntegerIds() {
    Path file = FixturePaths.root().resolve("llama3-tiny/reference.safetensors");
    try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(file)) {
      HostTensor ids = ckpt.read("input_ids");
      assertThat(ids.dtype()).isEqualTo(SafetensorsDtype.I64);
      assertThat(ids.shape()).containsExactly(3, 12);
      long[] mask = ckpt.read("attention_mask").toLongs();
      assertThat(mask).hasSize(36).containsOnly(0L, 1L);
    }
  }
}
