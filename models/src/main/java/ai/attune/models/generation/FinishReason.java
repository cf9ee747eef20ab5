package ai.attune.models.generation;

/** Why a row's generation ended (the names OpenAI-style APIs and TRL report). */
public enum FinishReason {
  /** The row emitted a stop token; that token is its last new token. */
  STOP,
  /** The row reached {@code maxNewTokens} without a stop token. */
  LENGTH
}
