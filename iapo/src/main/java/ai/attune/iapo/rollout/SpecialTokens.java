package ai.attune.iapo.rollout;

import ai.attune.models.text.TextTokenizer;
import java.util.Arrays;

/**
 * The ids of the Qwen2.5-VL chat and tool-call markers in one tokenizer, each looked up by encoding
 * its text (each must be one token).
 *
 * @param imStart {@code <|im_start|>}
 * @param imEnd {@code <|im_end|>}: ends a turn, and a generation
 * @param endOfText {@code <|endoftext|>}: a stop token, and the padding of batches
 * @param toolCallOpen {@code <tool_call>}
 * @param toolCallClose {@code </tool_call>}: ends a turn's generation
 * @param visionStart {@code <|vision_start|>}
 * @param imagePad {@code <|image_pad|>}: one per merged image patch
 * @param videoPad {@code <|video_pad|>}
 */
public record SpecialTokens(
    int imStart,
    int imEnd,
    int endOfText,
    int toolCallOpen,
    int toolCallClose,
    int visionStart,
    int imagePad,
    int videoPad) {

  public static final String IM_END = "<|im_end|>";
  public static final String END_OF_TEXT = "<|endoftext|>";
  public static final String TOOL_CALL_OPEN = "<tool_call>";
  public static final String TOOL_CALL_CLOSE = "</tool_call>";

  /**
   * Looks every marker up in {@code tokenizer}.
   *
   * @throws IllegalArgumentException naming a marker that is not a single token
   */
  public static SpecialTokens of(TextTokenizer tokenizer) {
    return new SpecialTokens(
        id(tokenizer, "<|im_start|>"),
        id(tokenizer, IM_END),
        id(tokenizer, END_OF_TEXT),
        id(tokenizer, TOOL_CALL_OPEN),
        id(tokenizer, TOOL_CALL_CLOSE),
        id(tokenizer, "<|vision_start|>"),
        id(tokenizer, "<|image_pad|>"),
        id(tokenizer, "<|video_pad|>"));
  }

  /** Whether {@code id} is a vision placeholder ({@code <|image_pad|>}, {@code <|video_pad|>}). */
  public boolean isVisionPad(long id) {
    return id == imagePad || id == videoPad;
  }

  private static int id(TextTokenizer tokenizer, String marker) {
    long[] ids = tokenizer.encode(marker);
    if (ids.length != 1) {
      throw new IllegalArgumentException(
          "the tokenizer encodes "
              + marker
              + " as "
              + Arrays.toString(ids)
              + ", not as one special token: not a Qwen2.5-VL tokenizer?");
    }
    return Math.toIntExact(ids[0]);
  }
}
