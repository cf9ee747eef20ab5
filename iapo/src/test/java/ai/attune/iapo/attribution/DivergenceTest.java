package ai.attune.iapo.attribution;

import static ai.attune.models.qwen2vl.chat.BlockKind.IMAGE;
import static ai.attune.models.qwen2vl.chat.BlockKind.QUESTION;
import static ai.attune.models.qwen2vl.chat.BlockKind.SYSTEM;
import static ai.attune.models.qwen2vl.chat.BlockKind.TOOLS;
import static ai.attune.models.qwen2vl.chat.BlockKind.TOOL_OUTPUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The divergences against values worked out by hand (natural logarithms, nats). */
@Tag("pure")
class DivergenceTest {
  private static final BlockDistribution HALVES =
      new BlockDistribution(Map.of(SYSTEM, 0.5, QUESTION, 0.5));
  private static final BlockDistribution QUARTERS =
      new BlockDistribution(Map.of(SYSTEM, 0.25, QUESTION, 0.75));

  @Test
  void klBothWaysAndJensenShannonWithoutSmoothing() {
    // KL(t‖s) = ½ ln(½/¼) + ½ ln(½/¾) = ½ ln(4/3)
    assertThat(Divergence.KL_TEACHER_STUDENT.between(HALVES, QUARTERS, 0))
        .isCloseTo(0.5 * Math.log(4.0 / 3), within(1e-15))
        .isCloseTo(0.143841036226, within(1e-12));
    // KL(s‖t) = ¼ ln(¼/½) + ¾ ln(¾/½)
    assertThat(Divergence.KL_STUDENT_TEACHER.between(HALVES, QUARTERS, 0))
        .isCloseTo(0.25 * Math.log(0.5) + 0.75 * Math.log(1.5), within(1e-15))
        .isCloseTo(0.130812035941, within(1e-12));
    // m = (3/8, 5/8): ½ [½ ln(4/3) + ½ ln(4/5)] + ½ [¼ ln(2/3) + ¾ ln(6/5)]
    double js =
        0.5 * (0.5 * Math.log(4.0 / 3) + 0.5 * Math.log(0.8))
            + 0.5 * (0.25 * Math.log(2.0 / 3) + 0.75 * Math.log(1.2));
    assertThat(Divergence.JENSEN_SHANNON.between(HALVES, QUARTERS, 0))
        .isCloseTo(js, within(1e-15))
        .isCloseTo(0.033822075569, within(1e-12));
    assertThat(Divergence.JENSEN_SHANNON.between(QUARTERS, HALVES, 0)).isCloseTo(js, within(1e-15));
  }

  @Test
  void identicalDistributionsGiveExactlyZero() {
    BlockDistribution d =
        new BlockDistribution(
            Map.of(SYSTEM, 0.1, QUESTION, 0.2, IMAGE, 0.3, TOOLS, 0.15, TOOL_OUTPUT, 0.25));
    for (Divergence div : Divergence.values()) {
      assertThat(div.between(d, d)).as(div.toString()).isZero();
      assertThat(div.between(d, d, 0)).as(div.toString()).isZero();
    }
  }

  @Test
  void absentBlocksCountZeroOverTheUnionThenSmoothingKeepsKlFinite() {
    BlockDistribution teacher = new BlockDistribution(Map.of(SYSTEM, 1.0));
    BlockDistribution student = new BlockDistribution(Map.of(SYSTEM, 0.5, IMAGE, 0.5));
    // ε = 0.1 over U = {SYSTEM, IMAGE}: t = (1.1, 0.1)/1.2, s = (0.6, 0.6)/1.2
    double t0 = 1.1 / 1.2;
    double t1 = 0.1 / 1.2;
    assertThat(Divergence.KL_TEACHER_STUDENT.between(teacher, student, 0.1))
        .isCloseTo(t0 * Math.log(t0 / 0.5) + t1 * Math.log(t1 / 0.5), within(1e-15))
        .isCloseTo(0.406311197504, within(1e-12));
    // Without smoothing the teacher's absent block adds nothing: KL(t‖s) = ln 2 ...
    assertThat(Divergence.KL_TEACHER_STUDENT.between(teacher, student, 0))
        .isCloseTo(Math.log(2), within(1e-15));
    // ... but the student's mass on it makes the reverse KL infinite,
    assertThat(Divergence.KL_STUDENT_TEACHER.between(teacher, student, 0)).isInfinite();
    // which the default ε = 1e-6 keeps finite: ½ ln(½ / t_S) + ½ ln(½ / t_I).
    double norm = 1 + 2e-6;
    double expected = 0.5 * Math.log(0.5 / (1.000001 / norm)) + 0.5 * Math.log(0.5 / (1e-6 / norm));
    assertThat(Divergence.KL_STUDENT_TEACHER.between(teacher, student))
        .isCloseTo(expected, within(1e-12))
        .isCloseTo(6.214609598420, within(1e-9));
    // JS stays below ln 2 even for disjoint blocks.
    BlockDistribution other = new BlockDistribution(Map.of(IMAGE, 1.0));
    assertThat(Divergence.JENSEN_SHANNON.between(teacher, other, 0))
        .isCloseTo(Math.log(2), within(1e-15));
  }

  @Test
  void parsesTheConfigNamesAndRejectsBadEpsilon() {
    assertThat(Divergence.parse("kl_teacher_student")).isEqualTo(Divergence.KL_TEACHER_STUDENT);
    assertThat(Divergence.parse("jensen_shannon")).isEqualTo(Divergence.JENSEN_SHANNON);
    assertThat(Divergence.JENSEN_SHANNON).hasToString("jensen_shannon");
    assertThatThrownBy(() -> Divergence.parse("kl"))
        .hasMessage(
            "unknown divergence 'kl': use one of kl_teacher_student,"
                + " kl_student_teacher, jensen_shannon");
    assertThatThrownBy(() -> Divergence.KL_TEACHER_STUDENT.between(HALVES, QUARTERS, -1e-3))
        .hasMessageContaining("epsilon must be finite and >= 0");
  }

  @Test
  void shapedRewardSubtractsLambdaTimesTheDivergence() {
    assertThat(TeacherAlignment.shapedReward(1.0, 0.5, 0.2)).isEqualTo(0.9);
    assertThat(TeacherAlignment.shapedReward(1.0, 0.0, Double.POSITIVE_INFINITY)).isEqualTo(1.0);
    assertThatThrownBy(() -> TeacherAlignment.shapedReward(1.0, -1, 0.2))
        .hasMessageContaining("lambda");
  }
}
