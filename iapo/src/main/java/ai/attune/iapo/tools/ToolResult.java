package ai.attune.iapo.tools;

import java.awt.image.BufferedImage;
import java.util.Objects;
import java.util.Optional;

/**
 * What one tool call gave back: a success with text and/or an image, or an error with a message for
 * the model.
 *
 * <p>Equality is by identity of the image. {@link #imageIndex()} is the index the {@link
 * ToolRegistry} gave the image in the rollout's {@link ToolContext} ({@code -1} before it was
 * added, or when there is no image).
 *
 * @param ok whether the call succeeded
 * @param text what the tool says about its result (empty when it only returns an image); null for
 *     an error
 * @param image the produced image, or null
 * @param imageIndex the image's index in the context, or -1
 * @param error the message for the model when {@code ok} is false; null otherwise
 */
public record ToolResult(
    boolean ok, String text, BufferedImage image, int imageIndex, String error) {

  public ToolResult {
    if (ok) {
      Objects.requireNonNull(text, "text");
      if (error != null) {
        throw new IllegalArgumentException("a successful result has no error");
      }
      if (imageIndex < -1 || (image == null && imageIndex != -1)) {
        throw new IllegalArgumentException("bad image index " + imageIndex);
      }
    } else {
      Objects.requireNonNull(error, "error");
      if (error.isBlank()) {
        throw new IllegalArgumentException("an error result needs a message");
      }
      if (text != null || image != null || imageIndex != -1) {
        throw new IllegalArgumentException("an error result carries only its message");
      }
    }
  }

  /** A success with text only. */
  public static ToolResult text(String text) {
    return new ToolResult(true, text, null, -1, null);
  }

  /** A success with an image and a sentence about it. */
  public static ToolResult image(BufferedImage image, String text) {
    return new ToolResult(true, text, Objects.requireNonNull(image, "image"), -1, null);
  }

  /** A failure; {@code message} is shown to the model. */
  public static ToolResult error(String message) {
    return new ToolResult(false, null, null, -1, message);
  }

  /** The produced image, if any. */
  public Optional<BufferedImage> imageOpt() {
    return Optional.ofNullable(image);
  }

  /** This result with its image registered at {@code index}. */
  public ToolResult withImageIndex(int index) {
    if (image == null) {
      throw new IllegalStateException("no image to index");
    }
    return new ToolResult(ok, text, image, index, error);
  }

  /**
   * The text fed back to the model: the result text (followed by {@code "The result is image N."}
   * once the image is registered), or {@code "Error: "} and the message.
   */
  public String textForModel() {
    if (!ok) {
      return "Error: " + error;
    }
    String sep = text.isEmpty() ? "" : " ";
    return imageIndex < 0 ? text : text + sep + "The result is image " + imageIndex + ".";
  }
}
