package ai.attune.models.qwen2vl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.config.ConfigException;
import ai.attune.core.config.JsonConfig;
import ai.attune.models.Models;
import ai.attune.models.TestData;
import ai.attune.models.layers.Activations;
import ai.attune.models.layers.RopeParameters;
import ai.attune.models.llama.LlamaConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Both layouts of Qwen2.5-VL configs read into the same record. */
@Tag("pure")
class Qwen25VlConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The flat hub layout of Qwen/Qwen2.5-VL-3B-Instruct's config.json. */
  static final String FLAT_3B =
      """
      {
        "architectures": ["Qwen2_5_VLForConditionalGeneration"],
        "attention_dropout": 0.0,
        "bos_token_id": 151643,
        "eos_token_id": 151645,
        "vision_start_token_id": 151652,
        "vision_end_token_id": 151653,
        "vision_token_id": 151654,
        "image_token_id": 151655,
        "video_token_id": 151656,
        "hidden_act": "silu",
        "hidden_size": 2048,
        "initializer_range": 0.02,
        "intermediate_size": 11008,
        "max_position_embeddings": 128000,
        "max_window_layers": 70,
        "model_type": "qwen2_5_vl",
        "num_attention_heads": 16,
        "num_hidden_layers": 36,
        "num_key_value_heads": 2,
        "rms_norm_eps": 1e-06,
        "rope_theta": 1000000.0,
        "sliding_window": 32768,
        "tie_word_embeddings": true,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.41.2",
        "use_cache": true,
        "use_sliding_window": false,
        "vision_config": {
          "depth": 32,
          "hidden_act": "silu",
          "hidden_size": 1280,
          "intermediate_size": 3420,
          "num_heads": 16,
          "in_chans": 3,
          "out_hidden_size": 2048,
          "patch_size": 14,
          "spatial_merge_size": 2,
          "spatial_patch_size": 14,
          "window_size": 112,
          "fullatt_block_indexes": [7, 15, 23, 31],
          "tokens_per_second": 2,
          "temporal_patch_size": 2
        },
        "rope_scaling": {"type": "mrope", "mrope_section": [16, 24, 24]},
        "vocab_size": 151936
      }
      """;

  static Qwen25VlConfig read(String json) throws IOException {
    return Qwen25VlConfig.read(JsonConfig.of((ObjectNode) JSON.readTree(json), "config.json"));
  }

  @Test
  void flatHubLayoutOf3bReadsEveryField() throws IOException {
    Qwen25VlConfig c = read(FLAT_3B);
    LlamaConfig t = c.text();
    assertThat(t.modelType()).isEqualTo("qwen2_5_vl");
    assertThat(t.vocabSize()).isEqualTo(151936);
    assertThat(t.hiddenSize()).isEqualTo(2048);
    assertThat(t.intermediateSize()).isEqualTo(11008);
    assertThat(t.numLayers()).isEqualTo(36);
    assertThat(t.numHeads()).isEqualTo(16);
    assertThat(t.numKvHeads()).isEqualTo(2);
    assertThat(t.headDim()).isEqualTo(128);
    assertThat(t.rope()).isEqualTo(RopeParameters.standard(1e6, 128));
    assertThat(t.biases()).isEqualTo(new LlamaConfig.Biases(true, false, false));
    assertThat(t.tieWordEmbeddings()).isTrue();
    assertThat(t.bosTokenId()).isEqualTo(151643);
    assertThat(t.eosTokenIds()).containsExactly(151645);
    assertThat(c.mropeSection()).containsExactly(16, 24, 24);
    assertThat(c.imageTokenId()).isEqualTo(151655);
    assertThat(c.videoTokenId()).isEqualTo(151656);
    assertThat(c.visionStartTokenId()).isEqualTo(151652);
    assertThat(c.visionEndTokenId()).isEqualTo(151653);
    Qwen25VlVisionConfig v = c.vision();
    assertThat(v)
        .isEqualTo(
            new Qwen25VlVisionConfig(
                32,
                1280,
                3420,
                16,
                2048,
                14,
                2,
                2,
                3,
                112,
                List.of(7, 15, 23, 31),
                2,
                Activations.SILU,
                10000.0));
    assertThat(v.headDim()).isEqualTo(80);
    assertThat(v.patchValues()).isEqualTo(1176);
    assertThat(v.windowTokens()).isEqualTo(4);
  }

  @Test
  void transformers5LayoutOfTheFixtureReadsTheSameFields() {
    Qwen25VlConfig c = Qwen25VlConfig.read(Models.readConfig(TestData.dir("qwen2_5_vl-tiny")));
    LlamaConfig t = c.text();
    assertThat(t.hiddenSize()).isEqualTo(64);
    assertThat(t.numLayers()).isEqualTo(2);
    assertThat(t.numHeads()).isEqualTo(4);
    assertThat(t.numKvHeads()).isEqualTo(2);
    assertThat(t.rope()).isEqualTo(RopeParameters.standard(1e6, 16));
    assertThat(t.tieWordEmbeddings()).isTrue();
    assertThat(t.eosTokenIds()).containsExactly(151645);
    assertThat(c.mropeSection()).containsExactly(2, 3, 3);
    assertThat(c.imageTokenId()).isEqualTo(5);
    assertThat(c.videoTokenId()).isEqualTo(6);
    assertThat(c.visionStartTokenId()).isEqualTo(3);
    assertThat(c.visionEndTokenId()).isEqualTo(4);
    assertThat(c.vision())
        .isEqualTo(
            new Qwen25VlVisionConfig(
                2, 32, 64, 2, 64, 14, 2, 2, 3, 56, List.of(1), 4, Activations.SILU, 10000.0));
  }

  @Test
  void transformers5TextConfigInheritsTheTopLevelTie() throws IOException {
    ObjectNode c =
        (ObjectNode) JSON.readTree(TestData.dir("qwen2_5_vl-tiny").resolve("config.json").toFile());
    ((ObjectNode) c.get("text_config")).remove("tie_word_embeddings");
    c.put("tie_word_embeddings", false);
    assertThat(read(c.toString()).text().tieWordEmbeddings()).isFalse();
  }

  @Test
  void mropeSectionThatDoesNotCoverHalfTheHeadFailsNamingIt() {
    String bad = FLAT_3B.replace("[16, 24, 24]", "[16, 24, 16]");
    assertThatThrownBy(() -> read(bad))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("mrope_section [16, 24, 16] sums to 56, not head_dim / 2 = 64");
  }

  @Test
  void missingMropeSectionFailsNamingTheField() {
    String bad =
        FLAT_3B.replace(
            "\"rope_scaling\": {\"type\": \"mrope\", \"mrope_section\": [16, 24, 24]},", "");
    assertThatThrownBy(() -> read(bad))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no mrope_section");
  }

  @Test
  void windowThatIsNotWholeMergedPatchesFailsNamingVisionConfig() {
    String bad = FLAT_3B.replace("\"window_size\": 112", "\"window_size\": 100");
    assertThatThrownBy(() -> read(bad))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("vision_config")
        .hasMessageContaining("window_size 100 is not a multiple of");
  }
}
