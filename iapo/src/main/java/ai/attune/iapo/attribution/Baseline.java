package ai.attune.iapo.attribution;

import ai.attune.models.LanguageModel;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The reference input e' of integrated gradients: zeros (default), or the embedding of one token at
 * every position (the pad token's by default, as in "what the model sees when nothing is there").
 * Written and read as its text ({@link #toString}, {@link #parse}).
 *
 * @param kind zeros or a token embedding
 * @param tokenId the token whose embedding fills every position; {@value #MODEL_PAD} for the
 *     model's pad token; unused for zeros
 */
public record Baseline(Kind kind, int tokenId) {
  /** {@link #tokenId()} meaning "the model's pad token". */
  public static final int MODEL_PAD = -1;

  /** What the baseline is made of. */
  public enum Kind {
    ZEROS,
    TOKEN_EMBEDDING
  }

  public Baseline {
    if (kind == null) {
      throw new IllegalArgumentException("baseline kind must be set");
    }
    if (kind == Kind.ZEROS && tokenId != MODEL_PAD) {
      throw new IllegalArgumentException("a zero baseline takes no token id, got " + tokenId);
    }
    if (tokenId < MODEL_PAD) {
      throw new IllegalArgumentException("baseline token id must be >= 0, got " + tokenId);
    }
  }

  public static Baseline zeros() {
    return new Baseline(Kind.ZEROS, MODEL_PAD);
  }

  /** The embedding of the model's pad token ({@code ModelInfo.padTokenId()}). */
  public static Baseline padEmbedding() {
    return new Baseline(Kind.TOKEN_EMBEDDING, MODEL_PAD);
  }

  /** The embedding of token {@code id}. */
  public static Baseline tokenEmbedding(int id) {
    return new Baseline(Kind.TOKEN_EMBEDDING, id);
  }

  /** Parses {@code zeros}, {@code pad} or {@code token:<id>}. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Baseline parse(String text) {
    String t = text.trim();
    if (t.equals("zeros")) {
      return zeros();
    }
    if (t.equals("pad")) {
      return padEmbedding();
    }
    if (t.startsWith("token:")) {
      try {
        return tokenEmbedding(Integer.parseInt(t.substring("token:".length())));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "bad baseline '" + text + "': token:<id> needs an" + " integer id", e);
      }
    }
    throw new IllegalArgumentException(
        "unknown baseline '" + text + "': use zeros, pad or token:<id>");
  }

  public boolean isZeros() {
    return kind == Kind.ZEROS;
  }

  /**
   * The token whose embedding fills the baseline for {@code model}, checked to lie in its
   * vocabulary.
   */
  public int resolveToken(LanguageModel model) {
    if (isZeros()) {
      throw new IllegalStateException("a zero baseline has no token");
    }
    int id = tokenId == MODEL_PAD ? model.info().padTokenId() : tokenId;
    int vocab = model.info().vocabSize();
    if (id < 0 || id >= vocab) {
      throw new IllegalArgumentException(
          "baseline token "
              + id
              + (tokenId == MODEL_PAD ? " (the pad token of " + model.info().modelType() + ")" : "")
              + " is not in the model's vocabulary of "
              + vocab
              + " (use token:<id> or zeros)");
    }
    return id;
  }

  @JsonValue
  @Override
  public String toString() {
    return isZeros() ? "zeros" : tokenId == MODEL_PAD ? "pad" : "token:" + tokenId;
  }
}
