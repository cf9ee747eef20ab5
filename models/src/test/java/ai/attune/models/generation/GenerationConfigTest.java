package ai.attune.models.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.models.ModelInfo;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Defaults, validation and model-dependent defaults of {@link GenerationConfig}. */
@Tag("pure")
class GenerationConfigTest {
  static final ModelInfo MODEL = new ModelInfo("opt", 512, 2, 64, List.of(2, 5), 1, 2);

  @Test
  void defaultsAreGreedyWithTheModelsStopAndPadIds() {
    GenerationConfig c = GenerationConfig.greedy(8);
    assertThat(c.isGreedy()).isTrue();
    assertThat(c.topK()).isZero();
    assertThat(c.topP()).isEqualTo(1.0);
    assertThat(c.returnLogprobs()).isFalse();
    assertThat(c.stopTokenIds(MODEL)).containsExactly(2, 5);
    assertThat(c.padTokenId(MODEL)).isEqualTo(1);
    GenerationConfig s = GenerationConfig.sampling(4, 0.7, 9);
    assertThat(s.isGreedy()).isFalse();
    assertThat(s.seed()).isEqualTo(9);
    assertThat(s.toBuilder().build()).isEqualTo(s);
  }

  @Test
  void explicitStopAndPadIdsOverrideTheModels() {
    GenerationConfig c =
        GenerationConfig.builder()
            .setMaxNewTokens(3)
            .optStopTokenIds(List.of())
            .optPadTokenId(0)
            .build();
    assertThat(c.stopTokenIds(MODEL)).isEmpty();
    assertThat(c.padTokenId(MODEL)).isZero();
    GenerationConfig outside = c.toBuilder().optStopTokenIds(List.of(512)).build();
    assertThatThrownBy(() -> outside.stopTokenIds(MODEL))
        .hasMessageContaining("stop token id 512 is outside the vocabulary of 512");
    ModelInfo noPad = new ModelInfo("llama", 512, 2, 64, List.of(2), -1, 1);
    assertThat(GenerationConfig.greedy(1).padTokenId(noPad)).as("pad = eos").isEqualTo(2);
    ModelInfo outOfVocab = new ModelInfo("qwen2_5_vl", 512, 2, 64, List.of(151645), 151645, 1);
    assertThat(GenerationConfig.greedy(1).stopTokenIds(outOfVocab)).isEmpty();
    assertThat(GenerationConfig.greedy(1).padTokenId(outOfVocab)).isZero();
    assertThatThrownBy(() -> c.toBuilder().optPadTokenId(-1).build().padTokenId(noPad))
        .hasMessageContaining("must be >= 0");
  }

  @Test
  void invalidValuesAreRejectedWithTheFieldName() {
    assertThatThrownBy(() -> GenerationConfig.greedy(0)).hasMessageContaining("maxNewTokens");
    assertThatThrownBy(() -> GenerationConfig.sampling(1, -0.1, 0))
        .hasMessageContaining("temperature");
    assertThatThrownBy(() -> GenerationConfig.sampling(1, Double.NaN, 0))
        .hasMessageContaining("temperature");
    GenerationConfig.Builder b = GenerationConfig.builder().setMaxNewTokens(1);
    assertThatThrownBy(() -> b.optTopK(-1).build()).hasMessageContaining("topK");
    assertThatThrownBy(() -> b.optTopK(0).optTopP(0).build()).hasMessageContaining("topP");
    assertThatThrownBy(() -> b.optTopP(1.5).build()).hasMessageContaining("topP");
    assertThatThrownBy(() -> b.optTopP(1).optStopTokenIds(List.of(-3)).build())
        .hasMessageContaining("stopTokenIds must be >= 0");
    assertThatThrownBy(() -> GenerationConfig.builder().build())
        .hasMessageContaining("maxNewTokens is required");
  }
}
