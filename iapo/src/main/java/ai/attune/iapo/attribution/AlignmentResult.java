package ai.attune.iapo.attribution;

import java.util.Objects;

/**
 * The student's and the teacher's attribution of one rollout and the divergence between their block
 * distributions.
 *
 * @param student the student's attribution
 * @param teacher the teacher's attribution, teacher-forced on the student's tokens
 * @param divergence D = divergence(teacher, student) as the config says, in nats
 */
public record AlignmentResult(
    AttributionResult student, AttributionResult teacher, double divergence) {

  public AlignmentResult {
    Objects.requireNonNull(student, "student");
    Objects.requireNonNull(teacher, "teacher");
    if (!(divergence >= 0)) {
      throw new IllegalArgumentException("divergence must be >= 0, got " + divergence);
    }
  }

  /** r_out − λ·D for this rollout. */
  public double shapedReward(double rOut, double lambda) {
    return TeacherAlignment.shapedReward(rOut, lambda, divergence);
  }
}
