package ai.attune.models.qwen2vl.chat;

/**
 * The input components IAPO attributes a tool-call decision to (spec section 3). Template markup
 * ({@code <|im_start|>}, role names, {@code <tool_response>} tags) and earlier assistant turns
 * belong to no block.
 */
public enum BlockKind {
  /** System/context text (P): the system prompt, or the default one. */
  SYSTEM,
  /** The user's question text (R): the text parts of user turns. */
  QUESTION,
  /** Image tokens (I): the {@code <|image_pad|>} run of each image in a user turn. */
  IMAGE,
  /** Tool definitions (T): the whole {@code # Tools} section of the system turn. */
  TOOLS,
  /**
   * Tool outputs of earlier turns (O): text inside {@code <tool_response>} and the image pads of
   * images a tool returned.
   */
  TOOL_OUTPUT
}
