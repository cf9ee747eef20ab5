package ai.attune.iapo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.config.ConfigException;
import ai.attune.iapo.attribution.AttributionConfig.Method;
import ai.attune.iapo.attribution.Divergence;
import ai.attune.iapo.grpo.LossType;
import ai.attune.iapo.warmstart.WarmStartConfig;
import ai.attune.models.adapters.LoraConfig;
import ai.attune.testsupport.FixturePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading, defaults, path resolution and field-named errors of the IAPO run config. */
@Tag("pure")
class IapoTrainConfigTest {
  static final String MINIMAL =
      """
      student: {dir: models/student}
      teacher: {dir: models/teacher}
      data: {train: data/train.jsonl, eval: [data/a.jsonl, data/b.jsonl]}
      optim: {lr: 1.0e-6}
      output: {dir: runs/one}
      """;

  @TempDir Path tmp;

  @Test
  void aMinimalFileTakesTheDocumentedDefaultsAndResolvesPaths() throws Exception {
    Path file = tmp.resolve("conf/run.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, MINIMAL);
    IapoTrainConfig c = IapoTrainConfig.read(file);
    Path base = tmp.resolve("conf").toAbsolutePath();
    assertThat(c.student().dir()).isEqualTo(base.resolve("models/student").toString());
    assertThat(c.teacher().dir()).isEqualTo(base.resolve("models/teacher").toString());
    assertThat(c.teacher().dtype()).isEqualTo("float32");
    assertThat(c.reference()).isNull();
    assertThat(c.data().eval())
        .containsExactly(
            base.resolve("data/a.jsonl").toString(), base.resolve("data/b.jsonl").toString());
    assertThat(c.rollout().groupSize()).isEqualTo(4);
    assertThat(c.alignment().lambda()).isEqualTo(1.0);
    var a = c.alignment().config();
    assertThat(a.attribution().method()).isEqualTo(Method.INTEGRATED_GRADIENTS);
    assertThat(a.attribution().steps()).isEqualTo(8);
    assertThat(a.divergence()).isEqualTo(Divergence.KL_TEACHER_STUDENT);
    // one default per setting: the attribution and divergence defaults are the attribution code's
    assertThat(a).isEqualTo(ai.attune.iapo.attribution.AlignmentConfig.defaults());
    assertThat(c.rollout().sampling()).isEqualTo(ai.attune.iapo.rollout.RolloutConfig.defaults());
    assertThat(c.rollout().evaluation())
        .isEqualTo(ai.attune.iapo.rollout.RolloutConfig.defaults().withTemperature(0));
    assertThat(IapoTrainConfig.DEFAULTS)
        .doesNotContain("steps_per_pass")
        .doesNotContain("beta1")
        .doesNotContain("top_k")
        .doesNotContain("scale_rewards");
    assertThat(c.grpo().loss()).isEqualTo(ai.attune.iapo.grpo.GrpoLossConfig.defaults());
    assertThat(c.grpo().loss().lossType()).isEqualTo(LossType.DAPO);
    assertThat(c.grpo().loss().epsilonHigh()).isEqualTo(0.2);
    assertThat(c.grpo().loss().beta()).isZero();
    assertThat(c.optim().maxGradNorm()).isEqualTo(1.0);
    assertThat(c.train().warmStart()).isNull();
    assertThat(c.student().lora()).isNull();
    IapoTrainConfig again = IapoTrainConfig.parse(c.toYaml(), "round trip");
    assertThat(again).isEqualTo(c);
  }

  @Test
  void optionalSectionsTakeTheirOwnDefaults() {
    IapoTrainConfig c =
        IapoTrainConfig.parse(
            (MINIMAL
                    + """
        train: {warm_start: {steps: 30}}
        alignment: {method: gxi, steps: 1}
        """)
                .replace("student: {dir: models/student}", "student: {dir: s, lora: {rank: 4}}"),
            "t");
    assertThat(c.train().warmStart())
        .isEqualTo(new WarmStartSection(30, 4, 1e-3, 0, WarmStartConfig.Schedule.LINEAR, 0));
    assertThat(c.student().lora().rank()).isEqualTo(4);
    assertThat(c.student().lora().alpha()).isEqualTo(16);
    // one default per setting: the adapters' are LoraConfig's
    assertThat(c.student().lora().targets()).isEqualTo(LoraConfig.defaults().targets());
    assertThat(c.toYaml()).contains("lora:").doesNotContain("init");
    assertThat(IapoTrainConfig.parse(c.toYaml(), "round trip")).isEqualTo(c);
    assertThat(
            IapoTrainConfig.parse(
                    MINIMAL.replace(
                        "student: {dir: models/student}", "student: {dir: s, lora: {}}"),
                    "t")
                .student()
                .lora())
        .isEqualTo(LoraConfig.defaults());
    assertThat(c.alignment().config().attribution().method()).isEqualTo(Method.GRADIENT_X_INPUT);
  }

  @Test
  void errorsNameTheFileAndTheField() {
    assertField(MINIMAL + "rollout: {group_size: 1}\n", "rollout.group_size", ">= 2");
    assertField(MINIMAL + "rollout: {grup_size: 8}\n", "rollout.grup_size", "unknown key");
    assertField(
        MINIMAL.replace("optim: {lr: 1.0e-6}", "optim: {beta1: 0.9}"), "optim.lr", "missing");
    assertField(MINIMAL + "grpo: {loss_type: ppo}\n", "grpo.loss_type", "dr_grpo");
    assertField(
        MINIMAL + "alignment: {divergence: l2}\n", "alignment.divergence", "jensen_shannon");
    assertField(MINIMAL + "alignment: {method: gxi}\n", "alignment.steps", "1 step");
    assertField(
        MINIMAL.replace("teacher: {dir: models/teacher}\n", ""), "alignment.lambda", "no teacher");
    assertField(MINIMAL + "grpo: {beta: 0.04}\n", "grpo.beta", "no reference");
    assertField(student("dtype: bfloat16"), "student.dtype", "bfloat16");
    assertField(MINIMAL + "rollout: {tools: [zoom_in, rotate]}\n", "rollout.tools[1]", "rotate");
    assertField(MINIMAL + "train: {warm_start: {lr: 0.1}}\n", "train.warm_start.steps", "missing");
    assertField(MINIMAL.replace("lr: 1.0e-6", "lr: -1"), "optim.lr", "> 0");
    assertField(
        student("lora: {rank: 8}, train_vision: true"), "student.train_vision", "full fine-tuning");
    assertField(student("lora: {rank: 0}"), "student.lora.rank", ">= 1");
  }

  @Test
  void aMissingFileAndBadYamlAreNamed() {
    Path missing = tmp.resolve("nope.yaml");
    assertThatThrownBy(() -> IapoTrainConfig.read(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("not found");
    assertThatThrownBy(() -> IapoTrainConfig.parse("student: [", "bad.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("bad.yaml: not valid YAML");
  }

  /** Errors of the settings bound onto the domain records a section holds flat. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "rollout: {top_pp: 0.9}                          | rollout.top_pp          | unknown key",
        "rollout: {max_new_tokens_per_turn: 9}           | rollout.max_new_tokens_per_turn | unknown",
        "rollout: {sampling: {top_p: 0.5}}               | rollout.sampling        | unknown key",
        "rollout: {top_p: 2.0}                           | rollout.top_p           | (0, 1], got 2.0",
        "rollout: {max_new_tokens: 0}                    | rollout.max_new_tokens  | >= 1",
        "rollout: {max_turns: many}                      | rollout.max_turns       | 'many'",
        "rollout: {max_turns: null}                      | rollout.max_turns       | >= 1, got 0",
        "grpo: {epsilon_hi: 0.3}                         | grpo.epsilon_hi         | unknown key",
        "grpo: {max_completion_length: 9}                | grpo.max_completion_length | unknown",
        "grpo: {epsilon: 1.5}                            | grpo.epsilon            | (0, 1), got 1.5",
        "grpo: {epsilon: 0.3, epsilon_high: 0.2}         | grpo.epsilon_high       | >= epsilon",
        "grpo: {advantage_epsilon: -1}                   | grpo.advantage_epsilon  | >= 0",
        "grpo: {scale_rewards: sometimes}                | grpo.scale_rewards      | 'sometimes'",
        "grpo: {updates_per_batch: 0}                    | grpo.updates_per_batch  | >= 1",
        "alignment: {step: 4}                            | alignment.step          | unknown key",
        "alignment: {config: {steps: 4}}                 | alignment.config        | unknown key",
        "alignment: {steps_per_pass: 0}                  | alignment.steps_per_pass | >= 1",
        "alignment: {epsilon: -1}                        | alignment.epsilon       | >= 0",
        "alignment: {method: sg}                         | alignment.method        | one of ig, gxi",
        "alignment: {baseline: mean}                     | alignment.baseline      | use zeros",
        "alignment: {method: gxi, steps: 1, baseline: pad} | alignment.baseline    | zero baseline",
        "alignment: {baseline: null}                     | alignment.baseline      | missing",
        "alignment: {divergence: null}                   | alignment.divergence    | missing",
        "alignment: {steps: [8]}                         | alignment.steps         | wrong type",
      })
  void domainSettingErrorsNameTheFullKey(String section, String field, String problem) {
    assertField(MINIMAL + section + "\n", field, problem);
  }

  @Test
  void samplingAndLossSettingsReadAsDocumented() {
    IapoTrainConfig c =
        IapoTrainConfig.parse(
            MINIMAL
                + "rollout: {system_prompt: null, temperature: 0.7, eval_temperature: 0.1}\n"
                + "grpo: {epsilon: 0.3}\n",
            "t");
    assertThat(c.rollout().sampling().systemPrompt())
        .isEqualTo(ai.attune.iapo.rollout.RolloutConfig.DEFAULT_SYSTEM_PROMPT);
    assertThat(c.rollout().sampling().temperature()).isEqualTo(0.7);
    assertThat(c.rollout().evaluation().temperature()).isEqualTo(0.1);
    assertThat(c.grpo().loss().epsilonHigh()).isEqualTo(0.3); // absent: epsilon
    IapoTrainConfig high = IapoTrainConfig.parse(MINIMAL + "grpo: {epsilon_high: 0.28}\n", "t");
    assertThat(high.grpo().loss().epsilonHigh()).isEqualTo(0.28);
    assertThat(IapoTrainConfig.parse(high.toYaml(), "round trip")).isEqualTo(high);
  }

  @Test
  void everyAlignmentSettingIsRead() {
    IapoTrainConfig c =
        IapoTrainConfig.parse(
            MINIMAL
                + "alignment: {method: gxi, steps: 1, steps_per_pass: 2, baseline: zeros,"
                + " scores: signed, normalization: softmax, target: response,"
                + " divergence: jensen_shannon, epsilon: 0}\n",
            "t");
    ai.attune.iapo.attribution.AttributionConfig a = c.alignment().config().attribution();
    assertThat(a.stepsPerPass()).isEqualTo(2);
    assertThat(a.normalization())
        .isEqualTo(ai.attune.iapo.attribution.AttributionConfig.Normalization.SOFTMAX);
    assertThat(c.alignment().config().divergence()).isEqualTo(Divergence.JENSEN_SHANNON);
    assertThat(c.toYaml()).contains("method: gxi").contains("baseline: zeros");
    assertThat(IapoTrainConfig.parse(c.toYaml(), "round trip")).isEqualTo(c);
    IapoTrainConfig token =
        IapoTrainConfig.parse(MINIMAL + "alignment: {baseline: \"token:7\"}\n", "t");
    assertThat(token.alignment().config().attribution().baseline())
        .isEqualTo(ai.attune.iapo.attribution.Baseline.tokenEmbedding(7));
    assertThat(IapoTrainConfig.parse(token.toYaml(), "round trip")).isEqualTo(token);
  }

  @Test
  void loraErrorsNameTheFullKey() {
    assertField(student("lora: {rank: 8, dropout: 0.1}"), "student.lora.dropout", "unknown key");
    assertField(student("lora: {alpha: 0}"), "student.lora.alpha", "> 0, got 0.0");
    assertField(student("lora: {targets: []}"), "student.lora.targets", "at least one");
    assertField(
        student("lora: {targets: [all-linear, q_proj]}"), "student.lora.targets", "combined");
    assertField(student("lora: {rank: eight}"), "student.lora.rank", "'eight'");
    assertField(student("lora: {init_seed: 3}"), "student.lora.init_seed", "unknown key");
  }

  private static String student(String more) {
    return MINIMAL.replace(
        "student: {dir: models/student}", "student: {dir: models/student, " + more + "}");
  }

  private static void assertField(String yaml, String field, String problem) {
    assertThatThrownBy(() -> IapoTrainConfig.parse(yaml, "run.yaml"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).field()).isEqualTo(field))
        .hasMessageStartingWith("run.yaml: " + field + ": ")
        .hasMessageContaining(problem);
  }

  @Test
  void thePapersTwoStagesParse() {
    Path configs = FixturePaths.of("charts-synth").getParent().getParent().resolve("configs");
    IapoTrainConfig grpo =
        IapoTrainConfig.read(configs.resolve("iapo-qwen2.5-vl-7b-grpo-teacher.yaml"));
    IapoTrainConfig iapo = IapoTrainConfig.read(configs.resolve("iapo-qwen2.5-vl-3b-7b.yaml"));
    assertThat(grpo.teacher()).isNull();
    assertThat(grpo.alignment().lambda()).isZero();
    assertThat(iapo.teacher().dir()).isEqualTo(grpo.output().dir() + "/final");
    assertThat(iapo.alignment().lambda()).isEqualTo(1.0);
    assertThat(iapo.alignment().noToolDivergence()).isEqualTo("group_max");
    for (IapoTrainConfig c : new IapoTrainConfig[] {grpo, iapo}) {
      assertThat(c.data().train())
          .containsExactly(
              "/data/refocus/chartqa_vcot/train.jsonl", "/data/refocus/tablevqa_vcot/train.jsonl");
      assertThat(c.data().eval()).hasSize(6);
    }
    assertThat(grpo.rollout()).isEqualTo(iapo.rollout());
    assertThat(grpo.grpo()).isEqualTo(iapo.grpo());
  }

  @Test
  void noToolDivergenceIsGroupMaxOrANumber() {
    assertThat(
            IapoTrainConfig.parse(MINIMAL + "alignment: {no_tool_divergence: 2.5}\n", "t")
                .alignment()
                .noToolPolicy()
                .fixed())
        .isEqualTo(2.5);
    assertField(
        MINIMAL + "alignment: {no_tool_divergence: biggest}\n",
        "alignment.no_tool_divergence",
        "group_max");
  }
}
