package ai.attune.core.safetensors;

import java.nio.file.Path;

/**
 * A safetensors file or checkpoint that cannot be read or written as asked.
 *
 * <p>The message always starts with the file (or checkpoint folder) and, when one tensor is at
 * fault, names it: {@code "/models/x/model.safetensors: tensor 'lm_head.weight': ..."}.
 */
public class SafetensorsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String tensor;

  /** An error about the file as a whole. */
  public SafetensorsException(Path file, String message) {
    this(file, null, message, null);
  }

  /** An error about the file as a whole, caused by {@code cause}. */
  public SafetensorsException(Path file, String message, Throwable cause) {
    this(file, null, message, cause);
  }

  /** An error about one tensor ({@code tensor} may be null) of the file. */
  public SafetensorsException(Path file, String tensor, String message, Throwable cause) {
    super(format(file, tensor, message), cause);
    this.file = file;
    this.tensor = tensor;
  }

  /** The file or checkpoint folder at fault. */
  public Path file() {
    return file;
  }

  /** The tensor at fault, or null when the error is about the whole file. */
  public String tensor() {
    return tensor;
  }

  private static String format(Path file, String tensor, String message) {
    StringBuilder sb = new StringBuilder().append(file);
    if (tensor != null) {
      sb.append(": tensor '").append(tensor).append('\'');
    }
    return sb.append(": ").append(message).toString();
  }
}
