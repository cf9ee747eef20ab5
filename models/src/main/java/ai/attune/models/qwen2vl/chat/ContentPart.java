package ai.attune.models.qwen2vl.chat;

import ai.attune.models.qwen2vl.ProcessedImage;
import java.util.Objects;

/** One piece of a message's content: text, or an image already processed for the model. */
public sealed interface ContentPart permits ContentPart.Text, ContentPart.Image {

  /** Plain text, rendered as it is. */
  record Text(String text) implements ContentPart {
    public Text {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * An image, rendered as {@code <|vision_start|>}, {@link ProcessedImage#numImageTokens()} ×
   * {@code <|image_pad|>}, {@code <|vision_end|>}.
   */
  record Image(ProcessedImage image) implements ContentPart {
    public Image {
      Objects.requireNonNull(image, "image");
    }
  }

  static Text text(String text) {
    return new Text(text);
  }

  static Image image(ProcessedImage image) {
    return new Image(image);
  }
}
