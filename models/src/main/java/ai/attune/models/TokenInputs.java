package ai.attune.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Checks a batch of token ids and its attention mask against a model before any tensor op, so that
 * bad input fails with an {@link InvalidInputException} naming the tensor, row, position, value and
 * limit rather than with libtorch's {@code index out of range in self} (which on a GPU is a
 * device-side assert that ends the process) or a silently wrong result.
 *
 * <p>Checked: {@code input_ids} is an integer tensor {@code [B, T]} with B, T &gt; 0 and every id
 * in {@code 0..vocab_size-1}; {@code attention_mask} is {@code [B, T']} (T' ≥ T: a KV cache's past
 * positions come first) of 0 and 1 with at least one 1 per row; no row holds more tokens than the
 * model's position table ({@link LanguageModel#maxPositions}); and, for generation, no row's prompt
 * plus the new tokens outgrows it. Reads the ids and the mask to the host once (a few kilobytes for
 * a batch of prompts) and leaves no array behind.
 */
public final class TokenInputs {
  private TokenInputs() {}

  /** Checks {@code inputIds} and {@code attentionMask} for a forward pass of {@code model}. */
  public static void check(LanguageModel model, NDArray inputIds, NDArray attentionMask) {
    checkIds(model, inputIds);
    checkMask(model, inputIds.getShape(), attentionMask, 0);
  }

  /**
   * Checks a batch of prompts for generating up to {@code maxNewTokens} tokens each: the forward
   * checks, plus room in the position table for every row's prompt and its new tokens.
   */
  public static void checkGeneration(
      LanguageModel model, NDArray inputIds, NDArray attentionMask, int maxNewTokens) {
    if (maxNewTokens < 1) {
      throw new InvalidInputException("max new tokens must be at least 1, got " + maxNewTokens);
    }
    checkIds(model, inputIds);
    checkMask(model, inputIds.getShape(), attentionMask, maxNewTokens - 1L);
  }

  private static void checkIds(LanguageModel model, NDArray ids) {
    DataType type = ids.getDataType();
    if (!type.isInteger()) {
      throw new InvalidInputException(
          "input_ids has dtype " + type + "; token ids must be" + " integers (int64)");
    }
    Shape s = ids.getShape();
    if (s.dimension() != 2) {
      throw new InvalidInputException("input_ids must be [batch, tokens], got shape " + s);
    }
    if (s.get(0) == 0 || s.get(1) == 0) {
      throw new InvalidInputException(
          "input_ids has shape "
              + s
              + ": every row needs at least"
              + " one token (batch and length must be > 0)");
    }
    long[] values;
    if (type == DataType.INT64) {
      values = ids.toLongArray();
    } else {
      try (NDArray wide = ids.toType(DataType.INT64, true)) {
        values = wide.toLongArray();
      }
    }
    long vocab = model.info().vocabSize();
    long t = s.get(1);
    for (int i = 0; i < values.length; i++) {
      long v = values[i];
      if (v < 0 || v >= vocab) {
        throw new InvalidInputException(
            "input_ids["
                + i / t
                + ", "
                + i % t
                + "] = "
                + v
                + (v < 0 ? " is negative" : " is outside the vocabulary")
                + ": token ids must be in"
                + " 0.."
                + (vocab - 1)
                + " (vocab_size "
                + vocab
                + " of this "
                + model.info().modelType()
                + ")");
      }
    }
  }

  private static void checkMask(LanguageModel model, Shape ids, NDArray mask, long extra) {
    Shape m = mask.getShape();
    if (m.dimension() != 2 || m.get(0) != ids.get(0) || m.get(1) < ids.get(1)) {
      throw new InvalidInputException(
          "attention_mask has shape "
              + m
              + "; input_ids "
              + ids
              + " needs ["
              + ids.get(0)
              + ", "
              + ids.get(1)
              + "] (or longer, with a cache)");
    }
    float[] values;
    if (mask.getDataType() == DataType.FLOAT32) {
      values = mask.toFloatArray();
    } else {
      try (NDArray asFloat = mask.toType(DataType.FLOAT32, true)) {
        values = asFloat.toFloatArray();
      }
    }
    long width = m.get(1);
    long limit = model.maxPositions();
    for (int row = 0; row < m.get(0); row++) {
      long tokens = 0;
      for (long j = 0; j < width; j++) {
        float v = values[(int) (row * width + j)];
        if (v != 0f && v != 1f) {
          throw new InvalidInputException(
              "attention_mask["
                  + row
                  + ", "
                  + j
                  + "] = "
                  + v
                  + ": the mask holds only 0 (padding) and 1 (token)");
        }
        tokens += v == 1f ? 1 : 0;
      }
      if (tokens == 0) {
        throw new InvalidInputException(
            "attention_mask row " + row + " is all zeros: the row" + " has no token to attend to");
      }
      if (tokens + extra > limit) {
        throw new InvalidInputException(
            extra == 0
                ? "row "
                    + row
                    + " holds "
                    + tokens
                    + " tokens, more than the "
                    + limit
                    + " positions of this "
                    + model.info().modelType()
                    + "'s position table"
                    + " (max_position_embeddings)"
                : "row "
                    + row
                    + " holds "
                    + tokens
                    + " prompt tokens; with "
                    + (extra + 1)
                    + " new tokens it would need "
                    + (tokens + extra)
                    + " positions, more than the "
                    + limit
                    + " of this "
                    + model.info().modelType()
                    + "'s position table"
                    + " (max_position_embeddings): lower max new tokens to at most "
                    + Math.max(0, limit - tokens + 1));
      }
    }
  }
}
