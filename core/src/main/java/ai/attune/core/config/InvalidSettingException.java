package ai.attune.core.config;

/**
 * A setting out of range, thrown by a config record when it is built. The message is {@code field:
 * problem}. A section record names the field in full ({@code rollout.group_size}); a domain record
 * bound from a section names its own key ({@code lr}), and {@link ConfigYaml#bind} puts the
 * section's path in front ({@code optim.lr: must be a finite number > 0, got -0.1}) and the file
 * before that.
 */
public class InvalidSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String problem;

  public InvalidSettingException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
    this.problem = problem;
  }

  /** The field at fault: its full dotted name, or a domain record's own key. */
  public String field() {
    return field;
  }

  /** What is wrong with it. */
  public String problem() {
    return problem;
  }

  public static void require(boolean ok, String field, String problem) {
    if (!ok) {
      throw new InvalidSettingException(field, problem);
    }
  }

  public static String requireText(String value, String field) {
    require(value != null && !value.isBlank(), field, "required field is missing or empty");
    return value;
  }

  public static void positive(long value, String field) {
    require(value >= 1, field, "must be >= 1, got " + value);
  }

  public static void nonNegative(long value, String field) {
    require(value >= 0, field, "must be >= 0 (0 = off), got " + value);
  }

  public static void positive(double value, String field) {
    require(
        value > 0 && Double.isFinite(value), field, "must be a finite number > 0, got " + value);
  }

  public static void nonNegative(double value, String field) {
    require(
        value >= 0 && Double.isFinite(value), field, "must be a finite number >= 0, got " + value);
  }

  public static void finite(double value, String field) {
    require(Double.isFinite(value), field, "must be a finite number, got " + value);
  }

  public static void unit(double value, String field) {
    require(value >= 0 && value < 1, field, "must be in [0, 1), got " + value);
  }
}
