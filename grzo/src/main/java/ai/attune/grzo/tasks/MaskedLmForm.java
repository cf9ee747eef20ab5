package ai.attune.grzo.tasks;

import ai.attune.models.text.TextTokenizer;

/**
 * The special tokens and suffix of the masked-LM prompt MeZO uses for RoBERTa (LM-BFF's template
 * {@code *cls**sent_0*_It_was*mask*.*sep+*}): {@code <s>{prompt}<mask>{suffix}</s>}, where for
 * SST-2 the prompt is {@code {sentence} It was} and the suffix {@code .}.
 *
 * @param clsId the id of {@code <s>}, put first
 * @param sepId the id of {@code </s>}, put last
 * @param maskId the id of {@code <mask>}
 * @param padId the model's padding id (RoBERTa counts positions from it)
 * @param suffix the text after the mask
 * @param maxLength the longest row; longer rows lose prompt tokens from the left
 */
public record MaskedLmForm(
    long clsId, long sepId, long maskId, long padId, String suffix, int maxLength) {

  public MaskedLmForm {
    if (clsId < 0 || sepId < 0 || maskId < 0 || padId < 0) {
      throw new IllegalArgumentException("special token ids must be >= 0");
    }
    if (suffix == null) {
      throw new IllegalArgumentException("suffix must not be null (use \"\")");
    }
    if (maxLength < 4) {
      throw new IllegalArgumentException("maxLength must be >= 4, got " + maxLength);
    }
  }

  /**
   * RoBERTa's form with the ids the tokenizer gives {@code <s>}, {@code </s>} and {@code <mask>}
   * (each must be one token) and suffix {@code "."}.
   */
  public static MaskedLmForm roberta(TextTokenizer tokenizer, long padId, int maxLength) {
    return new MaskedLmForm(
        single(tokenizer, "<s>"),
        single(tokenizer, "</s>"),
        single(tokenizer, "<mask>"),
        padId,
        ".",
        maxLength);
  }

  static long single(TextTokenizer tokenizer, String text) {
    long[] ids = tokenizer.encode(text);
    if (ids.length != 1) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is "
              + ids.length
              + " tokens for this tokenizer, expected a single special token");
    }
    return ids[0];
  }
}
