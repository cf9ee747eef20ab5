package ai.attune.grzo.tasks;

import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes examples for a causal LM as {@link OptionRowsBatch}es, the MeZO way: the row of option
 * {@code k} is the tokenisation of the full text {@code prompt + option}, and its option tokens are
 * the last {@code len(tokens(full)) - len(tokens(prompt))} of them (so a token that merges across
 * the boundary counts as an option token). BOS and truncation follow {@link EncodingOptions}.
 */
public final class PromptEncoder implements TaskEncoder {
  private final TextTokenizer tokenizer;
  private final EncodingOptions options;

  public PromptEncoder(TextTokenizer tokenizer, EncodingOptions options) {
    this.tokenizer = tokenizer;
    this.options = options;
  }

  public EncodingOptions options() {
    return options;
  }

  @Override
  public OptionRowsBatch forTraining(List<TaskExample> examples, NDManager manager) {
    TaskObjective objective = TaskExample.commonObjective(examples);
    if (objective == TaskObjective.CLASSIFICATION) {
      return forScoring(examples, manager);
    }
    int b = examples.size();
    long[][] rows = new long[b][];
    int[] optionLengths = new int[b];
    for (int i = 0; i < b; i++) {
      TaskExample e = examples.get(i);
      rows[i] = encodeOption(e, e.label(), optionLengths, i);
    }
    return OptionRowsBatch.of(
        manager, objective, rows, optionLengths, 1, new int[b], options.padTokenId());
  }

  @Override
  public OptionRowsBatch forScoring(List<TaskExample> examples, NDManager manager) {
    TaskObjective objective = TaskExample.commonObjective(examples);
    int k = examples.get(0).options().size();
    long[][] rows = new long[examples.size() * k][];
    int[] optionLengths = new int[rows.length];
    int[] labels = new int[examples.size()];
    for (int i = 0; i < examples.size(); i++) {
      TaskExample e = examples.get(i);
      if (e.options().size() != k) {
        throw new IllegalArgumentException(
            e.source()
                + ": "
                + e.options().size()
                + " options, but the batch's first example has "
                + k);
      }
      labels[i] = e.label();
      for (int j = 0; j < k; j++) {
        rows[i * k + j] = encodeOption(e, j, optionLengths, i * k + j);
      }
    }
    return OptionRowsBatch.of(
        manager, objective, rows, optionLengths, k, labels, options.padTokenId());
  }

  /**
   * The row of option {@code k} of {@code e} (BOS, prompt, option), left-truncated to {@code
   * maxLength}; stores its number of option tokens in {@code optionLengths[slot]}.
   */
  long[] encodeOption(TaskExample e, int k, int[] optionLengths, int slot) {
    long[] full = tokenizer.encode(e.fullText(k));
    int promptLength = tokenizer.encode(e.prompt()).length;
    int optionLength = full.length - promptLength;
    if (optionLength < 1) {
      throw new IllegalArgumentException(
          e.source()
              + ": option "
              + k
              + " \""
              + e.options().get(k)
              + "\" adds no tokens to the prompt");
    }
    int keep = options.maxLength() - options.prefixLength();
    long[] text =
        full.length > keep ? Arrays.copyOfRange(full, full.length - keep, full.length) : full;
    if (optionLength >= options.prefixLength() + text.length) {
      throw new IllegalArgumentException(
          e.source()
              + ": option "
              + k
              + " is "
              + optionLength
              + " tokens and no token precedes it in a row of at most "
              + options.maxLength()
              + " (maxLength too small, or an empty prompt without BOS)");
    }
    optionLengths[slot] = optionLength;
    return withPrefix(text);
  }

  /**
   * BOS (if asked for) and the prompt's tokens, left-truncated so that {@code reserve} more tokens
   * fit within {@code maxLength}: the input of greedy decoding.
   */
  public long[] promptIds(TaskExample e, int reserve) {
    long[] prompt = tokenizer.encode(e.prompt());
    int keep = options.maxLength() - options.prefixLength() - reserve;
    if (keep < 1) {
      throw new IllegalArgumentException(
          "maxLength "
              + options.maxLength()
              + " leaves no room"
              + " for a prompt before "
              + reserve
              + " new tokens");
    }
    long[] text =
        prompt.length > keep
            ? Arrays.copyOfRange(prompt, prompt.length - keep, prompt.length)
            : prompt;
    return withPrefix(text);
  }

  private long[] withPrefix(long[] text) {
    if (!options.prependBos()) {
      return text;
    }
    long[] row = new long[text.length + 1];
    row[0] = options.bosTokenId();
    System.arraycopy(text, 0, row, 1, text.length);
    return row;
  }
}
