package ai.attune.grzo.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.config.ConfigException;
import ai.attune.grzo.train.OptimizerName;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The builder's checks and the config it builds; nothing is loaded. */
@Tag("pure")
class ZerothOrderTrainingBuilderTest {
  private static ZerothOrderTraining.Builder<String> complete() {
    return ZerothOrderTraining.<String>builder()
        .setModel(Path.of("model"))
        .setOutputDir(Path.of("out"))
        .setLearningRate(1e-3)
        .setExamples(List.of("a", "b"), List.of("c"))
        .setEncoder((s, tokenizer) -> new long[] {1})
        .setLoss((model, batch) -> null);
  }

  @Test
  void theConfigHasTheSettingsOverTheCliDefaultsAndNoTask() {
    try (ZerothOrderTraining<String> run =
        complete()
            .optOptimizer(OptimizerName.MEZO)
            .optVariant(Variant.lowRank(4, 7))
            .optSteps(12)
            .optBatchSize(2)
            .build()) {
      var c = run.config();
      assertThat(c.task()).isNull();
      assertThat(c.model().dir()).isEqualTo(Path.of("model").toAbsolutePath().toString());
      assertThat(c.optimizer().name()).isEqualTo(OptimizerName.MEZO);
      assertThat(c.optimizer().variant().name()).isEqualTo("lowrank");
      assertThat(c.optimizer().variant().rank()).isEqualTo(4);
      assertThat(c.optimizer().variant().period()).isEqualTo(7);
      assertThat(c.optimizer().lr()).isEqualTo(1e-3);
      assertThat(c.optimizer().grzo().sigma()).isEqualTo(1e-3); // the YAML default
      assertThat(c.train().steps()).isEqualTo(12);
      assertThat(c.train().evalEvery()).isEqualTo(4000); // the YAML default
    }
  }

  @Test
  void aMissingRequiredSettingIsNamed() {
    assertThatThrownBy(
            () ->
                ZerothOrderTraining.<String>builder()
                    .setModel(Path.of("m"))
                    .setOutputDir(Path.of("o"))
                    .setExamples(List.of("a"), List.of("b"))
                    .setEncoder((s, t) -> new long[] {1})
                    .setLoss((m, b) -> null)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("setLearningRate is required and was not called");
    assertThatThrownBy(() -> ZerothOrderTraining.builder().setModel(Path.of("m")).build())
        .hasMessageContaining("no data: call setExamples, setEncoder and setLoss (or setTask)");
    assertThatThrownBy(
            () -> complete().setTask("sst2", Path.of("t.jsonl"), Path.of("d.jsonl")).build())
        .hasMessageContaining("exclude each other");
    assertThatThrownBy(() -> complete().setExamples(List.of(), List.of("c")).build())
        .hasMessageContaining("0 training and 1 dev examples");
  }

  @Test
  void aBadValueNamesItsConfigField() {
    assertThatThrownBy(() -> complete().optBatchSize(0).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("train.batch_size");
    assertThatThrownBy(() -> complete().optVariant(Variant.sparse(1.5)).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("optimizer.variant.keep");
  }
}
