package ai.attune.iapo.attribution;

import static ai.attune.models.qwen2vl.chat.BlockKind.IMAGE;
import static ai.attune.models.qwen2vl.chat.BlockKind.QUESTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.noise.SeededNoise;
import ai.attune.core.params.Parameter;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.attribution.TokenRange;
import ai.attune.models.qwen2vl.chat.RenderedPrompt.TokenSpan;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Teacher alignment on qwen2_5_vl-tiny: the fixture prompt with its image, the last four tokens as
 * the tool call; the teacher is the same checkpoint, or the same checkpoint with seeded noise added
 * to every weight.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("engine")
class TeacherAlignmentTest {
  private static final List<TokenSpan> BLOCKS =
      List.of(
          new TokenSpan(QUESTION, 0, 3),
          new TokenSpan(IMAGE, 4, 16),
          new TokenSpan(QUESTION, 16, 17));
  private static final List<TokenRange> CALL = List.of(new TokenRange(17, 21));

  private NDManager root;
  private CausalLM student;
  private CausalLM sameWeights;
  private CausalLM perturbed;
  private AttributionInput rollout;

  @BeforeAll
  void load() {
    root = Engines.newManager(DevicePolicy.CPU);
    Path dir = Fixtures.dir(Fixtures.VL);
    student = Models.load(dir, ComputeDtype.FLOAT32, root);
    sameWeights = Models.load(dir, ComputeDtype.FLOAT32, root);
    perturbed = Models.load(dir, ComputeDtype.FLOAT32, root);
    long index = 0;
    for (Parameter p : perturbed.parameters().parameters().values()) {
      try (NDArray noise =
              SeededNoise.gaussian(
                  perturbed.parameters().manager(),
                  SeededNoise.derive(7, index++),
                  p.shape(),
                  DataType.FLOAT32);
          NDArray scaled = noise.mul(0.02f)) {
        p.set(p.value().add(scaled));
      }
    }
    long[] ids = Fixtures.longs(Fixtures.VL, "reference.safetensors", "input_ids");
    rollout = new AttributionInput(ids, BLOCKS, CALL, CALL, List.of(Fixtures.vlImage()));
  }

  @AfterAll
  void close() {
    perturbed.close();
    sameWeights.close();
    student.close();
    root.close();
  }

  @Test
  void aTeacherWithTheStudentsWeightsGivesZeroDivergence() {
    for (CausalLM teacher : List.of(student, sameWeights)) {
      for (Divergence d : Divergence.values()) {
        AlignmentConfig config =
            new AlignmentConfig(AttributionConfig.defaults(), d, Divergence.DEFAULT_EPSILON);
        AlignmentResult r = new TeacherAlignment(student, teacher, config).align(rollout, root);
        assertThat(r.divergence()).as("%s, same object %s", d, teacher == student).isLessThan(1e-9);
        assertThat(r.teacher().tokenScores()).containsExactly(r.student().tokenScores());
        assertThat(r.shapedReward(1.0, 1.0)).isGreaterThan(1 - 1e-9);
      }
    }
  }

  @Test
  void aPerturbedTeacherGivesAPositiveDivergenceAndStaysFrozen() {
    AlignmentResult kl =
        new TeacherAlignment(student, perturbed, AlignmentConfig.defaults()).align(rollout, root);
    assertThat(kl.divergence()).isGreaterThan(1e-4);
    assertThat(kl.teacher().distribution().kinds()).containsExactly(QUESTION, IMAGE);
    double expected =
        Divergence.KL_TEACHER_STUDENT.between(
            kl.teacher().distribution(), kl.student().distribution(), 1e-6);
    assertThat(kl.divergence()).isEqualTo(expected);
    assertThat(kl.shapedReward(1.0, 0.5)).isEqualTo(1.0 - 0.5 * kl.divergence());
    AlignmentResult js =
        new TeacherAlignment(
                student,
                perturbed,
                new AlignmentConfig(AttributionConfig.defaults(), Divergence.JENSEN_SHANNON, 1e-6))
            .align(rollout, root);
    assertThat(js.divergence()).isPositive().isLessThan(Math.log(2));
    Path tokenizer = Fixtures.dir(Fixtures.VL).resolve("tokenizer.json");
    AlignmentResult checked =
        new TeacherAlignment(
                student, perturbed, AlignmentConfig.defaults(), tokenizer, tokenizer.getParent())
            .align(rollout, root);
    assertThat(checked.divergence()).isEqualTo(kl.divergence());
    System.out.printf(
        "perturbed teacher: student %s, teacher %s, KL(t||s) %.6g, JS %.6g;"
            + " target log-prob student %.4f teacher %.4f%n",
        kl.student().distribution().probabilities(),
        kl.teacher().distribution().probabilities(),
        kl.divergence(),
        js.divergence(),
        kl.student().targetLogProb(),
        kl.teacher().targetLogProb());
    for (CausalLM model : List.of(perturbed, student)) {
      for (Parameter p : model.parameters().parameters().values()) {
        assertThat(p.value().hasGradient()).as("%s has a gradient", p.name()).isFalse();
      }
    }
  }

  @Test
  void twentyAlignmentsLeaveNoArraysBehind() {
    TeacherAlignment alignment =
        new TeacherAlignment(student, perturbed, AlignmentConfig.defaults());
    int before = root.getManagedArrays().size();
    assertThat(before).isEqualTo(3 * student.parameters().parameters().size());
    double first = Double.NaN;
    for (int i = 0; i < 20; i++) {
      double d = alignment.align(rollout, root).divergence();
      if (i == 0) {
        first = d;
      }
      assertThat(d).as("alignment %d is deterministic", i).isEqualTo(first);
      assertThat(root.getManagedArrays()).as("live arrays after alignment %d", i).hasSize(before);
    }
    System.out.printf("20 alignments: %d live arrays before and after%n", before);
  }

  @Test
  void aTeacherWhoseParametersRequireGradientsIsRefused() {
    try (CausalLM trained = Models.load(Fixtures.dir(Fixtures.VL), ComputeDtype.FLOAT32, root)) {
      Parameter p = trained.parameters().get("lm_head.weight");
      p.value().setRequiresGradient(true);
      assertThatThrownBy(() -> new TeacherAlignment(student, trained, AlignmentConfig.defaults()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("teacher parameter " + p.name() + " requires a gradient");
    }
    assertThatThrownBy(
            () ->
                new TeacherAlignment(
                    student,
                    perturbed,
                    AlignmentConfig.defaults(),
                    Fixtures.dir(Fixtures.VL),
                    null))
        .hasMessage("pass both tokenizer files or neither");
  }
}
