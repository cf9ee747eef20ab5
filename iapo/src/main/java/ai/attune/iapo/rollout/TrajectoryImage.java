package ai.attune.iapo.rollout;

import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.models.qwen2vl.chat.BlockKind;
import java.util.Objects;

/**
 * One image of a token sequence: its pixels as the vision tower takes them and its run of {@code
 * <|image_pad|>} tokens.
 *
 * @param tokenStart index of its first pad token
 * @param tokenEnd one past its last pad token ({@code tokenStart + image.numImageTokens()})
 * @param block {@link BlockKind#IMAGE} for an input image, {@link BlockKind#TOOL_OUTPUT} for one a
 *     tool returned
 */
public record TrajectoryImage(ProcessedImage image, int tokenStart, int tokenEnd, BlockKind block) {
  public TrajectoryImage {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(block, "block");
    if (tokenEnd - tokenStart != image.numImageTokens()) {
      throw new IllegalArgumentException(
          "image of "
              + image.numImageTokens()
              + " tokens placed on tokens ["
              + tokenStart
              + ", "
              + tokenEnd
              + ")");
    }
  }
}
