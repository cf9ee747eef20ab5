package ai.attune.iapo.attribution;

import static ai.attune.core.config.InvalidSettingException.nonNegative;
import static ai.attune.core.config.InvalidSettingException.require;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Settings of {@link TeacherAlignment}, validated at construction. Bound by Jackson straight from
 * the {@code alignment} section of an IAPO config, the {@link AttributionConfig} keys flat beside
 * its own ({@code divergence}, {@code epsilon}); the defaults are {@link #defaults}, and an error
 * is an {@link ai.attune.core.config.InvalidSettingException} naming the key.
 *
 * @param attribution how both models attribute (the same settings for teacher and student)
 * @param divergence ({@code divergence}) how the two block distributions are compared: {@code
 *     kl_teacher_student} (default), {@code kl_student_teacher} or {@code jensen_shannon}
 * @param epsilon ({@code epsilon}) the smoothing ε of both distributions before the {@link
 *     Divergence}; >= 0 (0 disables it); default 1e-6
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AlignmentConfig(
    @JsonUnwrapped AttributionConfig attribution, Divergence divergence, double epsilon) {

  public AlignmentConfig {
    require(attribution != null, "attribution", "required field is missing");
    require(divergence != null, "divergence", "required field is missing");
    nonNegative(epsilon, "epsilon");
  }

  /** The spec's defaults: default attribution, KL(teacher ‖ student), ε = 1e-6. */
  public static AlignmentConfig defaults() {
    return new AlignmentConfig(
        AttributionConfig.defaults(), Divergence.KL_TEACHER_STUDENT, Divergence.DEFAULT_EPSILON);
  }
}
