package ai.attune.models;

/**
 * A model folder that cannot be loaded: a missing or unsupported config, a config value the
 * architecture cannot use, weights whose names or shapes do not match it. The message names the
 * folder and, from the check that failed, the file and the field or tensor.
 */
public class ModelLoadException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
