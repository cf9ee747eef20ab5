package ai.attune.core.config;

/**
 * A configuration file that cannot be used as it is: missing, not valid JSON or YAML, or a field
 * that is absent, of the wrong type or out of range.
 *
 * <p>The message always starts with the source (usually the file path) and, when one field is at
 * fault, its full dotted path and the offending value, for example {@code
 * /models/gemma/config.json: text_config.hidden_size: expected an int, got "big" (string)}.
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String field;

  private ConfigException(String source, String field, String message, Throwable cause) {
    super(message, cause);
    this.source = source;
    this.field = field;
  }

  /** A problem with the whole source, such as a missing file or a syntax error. */
  public static ConfigException forSource(String source, String problem, Throwable cause) {
    return new ConfigException(source, null, source + ": " + problem, cause);
  }

  /** A problem with one field, named by its full dotted path ({@code text_config.hidden_size}). */
  public static ConfigException forField(String source, String field, String problem) {
    return new ConfigException(source, field, source + ": " + field + ": " + problem, null);
  }

  /** The file path or label of the configuration at fault. */
  public String source() {
    return source;
  }

  /** The full dotted path of the field at fault, or null when the whole source is at fault. */
  public String field() {
    return field;
  }
}
