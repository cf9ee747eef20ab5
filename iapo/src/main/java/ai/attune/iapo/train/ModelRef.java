package ai.attune.iapo.train;

import ai.attune.core.config.InvalidSettingException;
import ai.attune.core.device.ComputeDtype;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code teacher} or {@code reference}: a frozen model, run forward (and, for the teacher, backward
 * to its input embeddings) but never trained. Validated by {@link IapoTrainConfig}, which knows
 * which of the two it is.
 *
 * @param dir the Qwen2.5-VL checkpoint folder, relative to the config file
 * @param dtype compute type; absent = the student's
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelRef(String dir, String dtype) {

  static String checkDtype(String dtype, String field) {
    InvalidSettingException.requireText(dtype, field);
    try {
      return ComputeDtype.parse(dtype).toString();
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(field, e.getMessage());
    }
  }

  /** Validated, with the student's dtype filled in. */
  ModelRef checked(String section, String studentDtype) {
    InvalidSettingException.requireText(dir, section + ".dir");
    return new ModelRef(dir, checkDtype(dtype == null ? studentDtype : dtype, section + ".dtype"));
  }

  /** The compute type. */
  public ComputeDtype computeDtype() {
    return ComputeDtype.parse(dtype);
  }
}
