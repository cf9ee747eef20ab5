package ai.attune.models.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Validation and target matching of {@link LoraConfig}. */
@Tag("pure")
class LoraConfigTest {
  @Test
  void targetsMatchWholeDottedSuffixes() {
    LoraConfig c = new LoraConfig(8, 16f, List.of("q_proj", "self_attn.v_proj"), 1L);
    assertThat(c.scale()).isEqualTo(2f);
    assertThat(c.init()).isEqualTo(LoraConfig.LoraInit.KAIMING_UNIFORM);
    assertThat(c.targets("model.layers.0.self_attn.q_proj")).isTrue();
    assertThat(c.targets("q_proj")).isTrue();
    assertThat(c.targets("model.layers.0.self_attn.v_proj")).isTrue();
    assertThat(c.targets("model.layers.0.cross_attn.v_proj")).isFalse();
    assertThat(c.targets("model.layers.0.self_attn.xq_proj")).isFalse();
    assertThat(c.targets("model.layers.0.self_attn.k_proj")).isFalse();
    LoraConfig all = new LoraConfig(4, 4f, List.of(LoraConfig.ALL_LINEAR), 1L);
    assertThat(all.targets("model.decoder.layers.1.fc2")).isTrue();
    assertThat(all.targets("lm_head")).isFalse();
  }

  @Test
  void invalidConfigsFailNamingTheField() {
    assertThatThrownBy(() -> new LoraConfig(0, 8f, List.of("q_proj"), 1L))
        .hasMessageContaining("rank");
    assertThatThrownBy(() -> new LoraConfig(4, 0f, List.of("q_proj"), 1L))
        .hasMessageContaining("alpha");
    assertThatThrownBy(() -> new LoraConfig(4, Float.NaN, List.of("q_proj"), 1L))
        .hasMessageContaining("alpha");
    assertThatThrownBy(() -> new LoraConfig(4, 8f, List.of(), 1L)).hasMessageContaining("targets");
    assertThatThrownBy(() -> new LoraConfig(4, 8f, List.of(" "), 1L))
        .hasMessageContaining("target");
    assertThatThrownBy(() -> new LoraConfig(4, 8f, List.of("all-linear", "q_proj"), 1L))
        .hasMessageContaining("all-linear");
    assertThatThrownBy(() -> new LoraConfig(4, 8f, List.of("q_proj"), 1L, null))
        .hasMessageContaining("init");
  }
}
