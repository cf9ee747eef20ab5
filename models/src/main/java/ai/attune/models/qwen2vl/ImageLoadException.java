package ai.attune.models.qwen2vl;

import java.nio.file.Path;

/**
 * An image file that cannot be used: missing, unreadable, or not in a format {@code javax.imageio}
 * decodes. The message always starts with the file.
 *
 * <p>Unchecked so that a tool executor can catch it and turn it into a tool error result.
 */
public class ImageLoadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public ImageLoadException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The file at fault. */
  public Path file() {
    return file;
  }
}
