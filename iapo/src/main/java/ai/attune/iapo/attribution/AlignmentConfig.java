package ai.attune.iapo.attribution;

import java.util.Objects;

/**
 * Settings of {@link TeacherAlignment}.
 *
 * @param attribution how both models attribute (the same settings for teacher and student)
 * @param divergence how the distributions are compared (default KL(teacher ‖ student))
 * @param epsilon the smoothing ε of {@link Divergence} (default 1e-6; 0 disables it)
 */
public record AlignmentConfig(
    AttributionConfig attribution, Divergence divergence, double epsilon) {

  public AlignmentConfig {
    Objects.requireNonNull(attribution, "attribution");
    Objects.requireNonNull(divergence, "divergence");
    if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
      throw new IllegalArgumentException(
          "divergence epsilon must be finite and >= 0, got " + epsilon);
    }
  }

  /** The spec's defaults: default attribution, KL(teacher ‖ student), ε = 1e-6. */
  public static AlignmentConfig defaults() {
    return new AlignmentConfig(
        AttributionConfig.defaults(), Divergence.KL_TEACHER_STUDENT, Divergence.DEFAULT_EPSILON);
  }
}
