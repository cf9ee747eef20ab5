package ai.attune.grzo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.config.ConfigException;
import ai.attune.core.device.DevicePolicy;
import ai.attune.grzo.estimator.EstimatorMode;
import ai.attune.grzo.estimator.GroupRelativeEstimator;
import ai.attune.grzo.optim.ZoSettings;
import ai.attune.models.adapters.PerturbationKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading, defaults, path resolution and the errors of the YAML training config. */
@Tag("pure")
class GrzoTrainConfigTest {
  static final String MINIMAL =
      """
      model:
        dir: models/opt
      task:
        name: SST-2
        train: data/train.jsonl
        dev: data/dev.jsonl
      optimizer:
        lr: 1e-3
      output:
        dir: runs/a
      """;

  @TempDir Path tmp;

  Path write(String yaml) throws IOException {
    Path file = tmp.resolve("conf").resolve("run.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void minimalConfigTakesThePaperDefaultsAndResolvesPathsAgainstItsFolder() throws IOException {
    Path file = write(MINIMAL);
    GrzoTrainConfig c = GrzoTrainConfig.read(file);
    Path base = file.getParent().toAbsolutePath();
    assertThat(c.model().dir()).isEqualTo(base.resolve("models/opt").toString());
    assertThat(c.model().dtype()).isEqualTo("float32");
    assertThat(c.model().device()).isEqualTo(DevicePolicy.AUTO);
    assertThat(c.task().name()).isEqualTo("sst2");
    assertThat(c.task().train()).isEqualTo(base.resolve("data/train.jsonl").toString());
    assertThat(c.task().test()).isNull();
    assertThat(c.optimizer().name()).isEqualTo(OptimizerName.GRZO);
    assertThat(c.optimizer().grzo().sigma()).isEqualTo(1e-3);
    assertThat(c.optimizer().lr()).isEqualTo(1e-3);
    assertThat(c.optimizer().grzo().estimator().mode()).isEqualTo(EstimatorMode.TWO_NORM);
    assertThat(c.optimizer().schedule()).isEqualTo(LrSchedule.CONSTANT);
    // one default per setting: the optimizer's method defaults are GrzoConfig.paperDefault()'s
    assertThat(c.optimizer().grzo().kinds())
        .containsExactlyElementsOf(ai.attune.grzo.optim.GrzoConfig.paperDefault().kinds());
    assertThat(c.optimizer().grzo()).isEqualTo(ai.attune.grzo.optim.GrzoConfig.paperDefault());
    assertThat(c.optimizer().grzo().trainHead()).isFalse();
    assertThat(c.optimizer().mezo().layerKinds()).isNull();
    // and MeZO's are MezoConfig.defaults()'s: the YAML text does not repeat them
    assertThat(c.optimizer().mezo()).isEqualTo(ai.attune.grzo.optim.MezoConfig.defaults());
    assertThat(GrzoTrainConfig.DEFAULTS).doesNotContain("sigma").doesNotContain("kinds");
    assertThat(c.train().batchSize()).isEqualTo(16);
    assertThat(c.train().steps()).isEqualTo(20000);
    assertThat(c.train().nanPolicy()).isEqualTo(NanPolicy.STOP);
    assertThat(c.train().targetLoss()).isNull();
    assertThat(c.output().dir()).isEqualTo(base.resolve("runs/a").toString());
  }

  @Test
  void aBatchOfOneIsRefusedForNormalisingEstimatorsWithoutAStdFloor() throws IOException {
    Path one = write(MINIMAL + "train:\n  batch_size: 1\n");
    assertThatThrownBy(() -> GrzoTrainConfig.read(one))
        .hasMessageContaining("train.batch_size")
        .hasMessageContaining("std_floor");
    Path floored =
        write(
            MINIMAL.replace("  lr: 1e-3", "  lr: 1e-3\n  std_floor: 0.1")
                + "train:\n  batch_size: 1\n");
    assertThat(GrzoTrainConfig.read(floored).train().batchSize()).isEqualTo(1);
  }

  @Test
  void resolvedConfigWritesAndReadsBackToItself() throws IOException {
    GrzoTrainConfig c =
        GrzoTrainConfig.read(
            write(
                MINIMAL
                    + """
        train:
          target_loss: 0.5
          nan_policy: skip
        """));
    String yaml = c.toYaml();
    assertThat(yaml)
        .contains("name: grzo")
        .contains("estimator: two_norm")
        .contains("batch_size: 16")
        .contains("nan_policy: skip")
        .contains("- linear");
    Path again = tmp.resolve("elsewhere.yaml");
    Files.writeString(again, yaml);
    assertThat(GrzoTrainConfig.read(again)).isEqualTo(c);
    assertThat(c.toTree().get("train").get("target_loss").asDouble()).isEqualTo(0.5);
  }

  @Test
  void unknownKeyIsRefusedNamingFileAndField() throws IOException {
    Path file = write(MINIMAL.replace("  lr: 1e-3", "  lr: 1e-3\n  lrr: 2"));
    assertThatThrownBy(() -> GrzoTrainConfig.read(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": optimizer.lrr: unknown key")
        .hasMessageContaining("lr");
  }

  @Test
  void missingRequiredFieldIsNamed() throws IOException {
    Path file = write(MINIMAL.replace("  lr: 1e-3\n", "  sigma: 0.01\n"));
    assertThatThrownBy(() -> GrzoTrainConfig.read(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ": optimizer.lr: required field is missing");
    Path noDev = write(MINIMAL.replace("  dev: data/dev.jsonl\n", ""));
    assertThatThrownBy(() -> GrzoTrainConfig.read(noDev))
        .hasMessageStartingWith(noDev + ": task.dev: required field is missing");
  }

  @Test
  void badEnumValueListsTheAllowedOnes() throws IOException {
    Path file = write(MINIMAL + "train:\n  nan_policy: ignore\n");
    assertThatThrownBy(() -> GrzoTrainConfig.read(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            file + ": train.nan_policy: unknown value 'ignore', expected one of" + " stop, skip");
    Path kinds = write(MINIMAL.replace("  lr: 1e-3", "  lr: 1e-3\n  kinds: [linear, bias]"));
    assertThatThrownBy(() -> GrzoTrainConfig.read(kinds))
        .hasMessageStartingWith(kinds + ": optimizer.kinds[1]: unknown value 'bias'");
  }

  @Test
  void outOfRangeValuesAreRefusedNamingTheField() throws IOException {
    Path file = write(MINIMAL.replace("lr: 1e-3", "lr: -0.1"));
    assertThatThrownBy(() -> GrzoTrainConfig.read(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ": optimizer.lr: must be a finite number > 0, got -0.1");
    Path steps = write(MINIMAL + "train:\n  steps: 0\n");
    assertThatThrownBy(() -> GrzoTrainConfig.read(steps))
        .hasMessage(steps + ": train.steps: must be >= 1, got 0");
    Path task = write(MINIMAL.replace("SST-2", "imdb"));
    assertThatThrownBy(() -> GrzoTrainConfig.read(task))
        .hasMessageStartingWith(task + ": task.name: unknown task 'imdb'");
    Path decay = write(MINIMAL.replace("lr: 1e-3", "lr: 1e-3\n  weight_decay: 0.1"));
    assertThatThrownBy(() -> GrzoTrainConfig.read(decay))
        .hasMessageContaining("optimizer.weight_decay: only mezo applies weight decay");
    Path dtype = write(MINIMAL.replace("dir: models/opt", "dir: models/opt\n  dtype: bf16"));
    assertThatThrownBy(() -> GrzoTrainConfig.read(dtype))
        .hasMessageStartingWith(dtype + ": model.dtype: bfloat16 compute is not supported");
  }

  @Test
  void wrongTypesAndBadYamlAreReported() throws IOException {
    Path file = write(MINIMAL + "train:\n  steps: many\n");
    assertThatThrownBy(() -> GrzoTrainConfig.read(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": train.steps: ");
    Path yaml = write("model: [unclosed\n");
    assertThatThrownBy(() -> GrzoTrainConfig.read(yaml))
        .hasMessageStartingWith(yaml + ": not valid YAML");
    Path twice = write(MINIMAL + "train:\n  steps: 5\ntrain:\n  seed: 3\n");
    assertThatThrownBy(() -> GrzoTrainConfig.read(twice))
        .hasMessageStartingWith(twice + ": not valid YAML: Duplicate field 'train'");
    assertThatThrownBy(() -> GrzoTrainConfig.read(tmp.resolve("none.yaml")))
        .hasMessage(tmp.resolve("none.yaml") + ": file not found");
  }

  @Test
  void methodSettingsAreReadOnceAndNamedInFull() throws IOException {
    Path file =
        write(
            MINIMAL.replace(
                "  lr: 1e-3",
                "  lr: 1e-3\n  name: mezo\n  sigma: 0.01\n  train_head: true\n"
                    + "  weight_decay: 0.1\n  exact_restore: true\n  mezo_params: grzo\n"
                    + "  kinds: [norm, linear]\n  estimator: one\n  std_floor: 0.5\n  clip: 2"));
    GrzoTrainConfig c = GrzoTrainConfig.read(file);
    OptimizerSection o = c.optimizer();
    assertThat(o.grzo().shared()).isEqualTo(new ZoSettings(0.01, true));
    assertThat(o.mezo().shared()).isEqualTo(o.grzo().shared());
    assertThat(o.grzo().estimator())
        .isEqualTo(new GroupRelativeEstimator(EstimatorMode.ONE, 0.5, 2));
    assertThat(o.mezo().weightDecay()).isEqualTo(0.1);
    assertThat(o.mezo().exactRestore()).isTrue();
    assertThat(o.mezo().layerKinds())
        .containsExactly(PerturbationKind.LINEAR, PerturbationKind.NORM);
    String yaml = c.toYaml();
    assertThat(yaml.split("sigma:", -1)).hasSize(2); // written once
    assertThat(yaml.split("train_head:", -1)).hasSize(2);
    assertThat(yaml).doesNotContain("layer_kinds").doesNotContain("shared");
    Path again = tmp.resolve("again.yaml");
    Files.writeString(again, yaml);
    assertThat(GrzoTrainConfig.read(again)).isEqualTo(c);
  }

  @Test
  void methodSettingErrorsNameTheFullKey() throws IOException {
    assertField("  sigma: 0", "optimizer.sigma", "must be a finite number > 0, got 0.0");
    assertField("  std_floor: -1", "optimizer.std_floor", "must be a finite number >= 0");
    assertField("  clip: -2", "optimizer.clip", "must be a finite number >= 0");
    assertField("  exact_restore: maybe", "optimizer.exact_restore", "");
    assertField("  estimator: two\n  fused: true", null, null);
    assertField("  estimator: one\n  fused: true", "optimizer.fused", "estimator one has no");
    assertField("  estimator: three", "optimizer.estimator", "expected one of two_norm, two");
    assertField("  kinds: []", "optimizer.kinds", "list at least one of linear");
    assertField("  sigma: [1]", "optimizer.sigma", "wrong type");
    assertField("  layer_kinds: [linear]", "optimizer.layer_kinds", "unknown key");
    assertField("  estimator_settings: {clip: 1}", "optimizer.estimator_settings", "unknown key");
    assertField("  shared: {sigma: 1}", "optimizer.shared", "unknown key");
    assertField("  mezo: {weight_decay: 1}", "optimizer.mezo", "unknown key");
    assertField("  cache_directions: maybe", "optimizer.cache_directions", "");
  }

  @Test
  void anUnsetFusedFollowsTheEstimatorAndTheResolvedConfigRecordsIt() throws IOException {
    GrzoTrainConfig minimal = GrzoTrainConfig.read(write(MINIMAL));
    assertThat(minimal.optimizer().grzo().fused()).isTrue();
    assertThat(minimal.toYaml()).contains("fused: true");
    for (String mode : new String[] {"two", "one", "uniform"}) {
      GrzoTrainConfig c =
          GrzoTrainConfig.read(
              write(MINIMAL.replace("  lr: 1e-3", "  lr: 1e-3\n  estimator: " + mode)));
      assertThat(c.optimizer().grzo().fused()).as(mode).isEqualTo(mode.equals("two"));
      // the recorded value reads back as itself, whatever the estimator
      Path again = tmp.resolve("again-" + mode + ".yaml");
      Files.writeString(again, c.toYaml());
      assertThat(GrzoTrainConfig.read(again)).as(mode).isEqualTo(c);
    }
    GrzoTrainConfig off =
        GrzoTrainConfig.read(write(MINIMAL.replace("  lr: 1e-3", "  lr: 1e-3\n  fused: false")));
    assertThat(off.optimizer().grzo().fused()).isFalse();
  }

  @Test
  void cacheDirectionsIsOffByDefaultAndBindsFromTheOptimizerSection() throws IOException {
    assertThat(GrzoTrainConfig.read(write(MINIMAL)).optimizer().grzo().cacheDirections()).isFalse();
    GrzoTrainConfig on =
        GrzoTrainConfig.read(
            write(MINIMAL.replace("  lr: 1e-3", "  lr: 1e-3\n  cache_directions: true")));
    assertThat(on.optimizer().grzo())
        .isEqualTo(ai.attune.grzo.optim.GrzoConfig.paperDefault().withCacheDirections(true));
    assertThat(on.toYaml()).contains("cache_directions: true");
  }

  /** {@code line} added to the optimizer section of {@link #MINIMAL}: refused at {@code field}. */
  private void assertField(String line, String field, String problem) throws IOException {
    Path file = write(MINIMAL.replace("  lr: 1e-3", "  lr: 1e-3\n" + line));
    if (field == null) {
      assertThat(GrzoTrainConfig.read(file).optimizer().grzo().fused()).isTrue();
      return;
    }
    assertThatThrownBy(() -> GrzoTrainConfig.read(file))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).field()).isEqualTo(field))
        .hasMessageStartingWith(file + ": " + field + ": ")
        .hasMessageContaining(problem);
  }

  @Test
  void schedulesDecayFromTheFullRate() {
    assertThat(LrSchedule.CONSTANT.at(0.1, 7, 10)).isEqualTo(0.1);
    assertThat(LrSchedule.LINEAR.at(0.1, 1, 10)).isEqualTo(0.1);
    assertThat(LrSchedule.LINEAR.at(0.1, 10, 10))
        .isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(LrSchedule.COSINE.at(0.1, 6, 10))
        .isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-12));
  }
}
