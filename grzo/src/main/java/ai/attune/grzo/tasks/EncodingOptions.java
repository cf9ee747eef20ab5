package ai.attune.grzo.tasks;

import ai.attune.models.ModelInfo;

/**
 * How prompts become token rows for a causal LM.
 *
 * <p>The project's {@code TextTokenizer} adds no special tokens, while HF's OPT tokenizer puts
 * {@code </s>} (id 2) in front of every text and MeZO trains and scores with it there: set {@code
 * prependBos} for OPT (and Llama), with the model's {@code bos_token_id}. Rows longer than {@code
 * maxLength} lose prompt tokens from the left (the BOS token stays), as in MeZO.
 *
 * @param prependBos whether every row starts with {@code bosTokenId}
 * @param bosTokenId the id put first when {@code prependBos}
 * @param padTokenId the id of left padding (attention mask 0 there)
 * @param maxLength the longest row, BOS included
 */
public record EncodingOptions(boolean prependBos, long bosTokenId, long padTokenId, int maxLength) {

  public EncodingOptions {
    if (prependBos && bosTokenId < 0) {
      throw new IllegalArgumentException("prependBos needs a bosTokenId >= 0, got " + bosTokenId);
    }
    if (padTokenId < 0) {
      throw new IllegalArgumentException("padTokenId must be >= 0, got " + padTokenId);
    }
    if (maxLength < 2) {
      throw new IllegalArgumentException("maxLength must be >= 2, got " + maxLength);
    }
  }

  /** Options with the model's BOS and pad ids. */
  public static EncodingOptions forModel(ModelInfo info, boolean prependBos, int maxLength) {
    return new EncodingOptions(prependBos, info.bosTokenId(), info.padTokenId(), maxLength);
  }

  /** The number of tokens put in front of the text: 1 with BOS, else 0. */
  int prefixLength() {
    return prependBos ? 1 : 0;
  }
}
