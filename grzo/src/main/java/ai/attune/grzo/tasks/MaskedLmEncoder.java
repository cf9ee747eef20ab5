package ai.attune.grzo.tasks;

import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes classification examples for a masked LM as {@link MaskedSlotBatch}es: {@code
 * <s>{prompt}<mask>{suffix}</s>} with the example's options as label words, each of which must be a
 * single token ({@code " terrible"}, {@code " great"} for SST-2, as in LM-BFF). Training and
 * scoring batches are the same.
 */
public final class MaskedLmEncoder implements TaskEncoder {
  private final TextTokenizer tokenizer;
  private final MaskedLmForm form;

  public MaskedLmEncoder(TextTokenizer tokenizer, MaskedLmForm form) {
    this.tokenizer = tokenizer;
    this.form = form;
  }

  @Override
  public MaskedSlotBatch forTraining(List<TaskExample> examples, NDManager manager) {
    return forScoring(examples, manager);
  }

  @Override
  public MaskedSlotBatch forScoring(List<TaskExample> examples, NDManager manager) {
    TaskObjective objective = TaskExample.commonObjective(examples);
    if (objective != TaskObjective.CLASSIFICATION) {
      throw new IllegalArgumentException(
          "the masked-LM form scores classification tasks only, not " + objective);
    }
    long[] words = labelWords(examples.get(0));
    long[] suffix = tokenizer.encode(form.suffix());
    long[][] rows = new long[examples.size()][];
    int[] maskPositions = new int[rows.length];
    int[] labels = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      TaskExample e = examples.get(i);
      if (!Arrays.equals(labelWords(e), words)) {
        throw new IllegalArgumentException(
            e.source()
                + ": label words "
                + e.options()
                + " differ from the batch's "
                + examples.get(0).options());
      }
      long[] prompt = tokenizer.encode(e.prompt());
      int keep = form.maxLength() - 3 - suffix.length;
      if (keep < 1) {
        throw new IllegalArgumentException(
            "maxLength " + form.maxLength() + " leaves no room" + " for the prompt");
      }
      if (prompt.length > keep) {
        prompt = Arrays.copyOfRange(prompt, prompt.length - keep, prompt.length);
      }
      rows[i] = row(prompt, suffix);
      maskPositions[i] = 1 + prompt.length;
      labels[i] = e.label();
    }
    return MaskedSlotBatch.of(manager, rows, maskPositions, words, labels, form.padId());
  }

  private long[] row(long[] prompt, long[] suffix) {
    long[] row = new long[prompt.length + suffix.length + 3];
    row[0] = form.clsId();
    System.arraycopy(prompt, 0, row, 1, prompt.length);
    row[1 + prompt.length] = form.maskId();
    System.arraycopy(suffix, 0, row, 2 + prompt.length, suffix.length);
    row[row.length - 1] = form.sepId();
    return row;
  }

  private long[] labelWords(TaskExample e) {
    long[] ids = new long[e.options().size()];
    for (int k = 0; k < ids.length; k++) {
      long[] t = tokenizer.encode(e.options().get(k));
      if (t.length != 1) {
        throw new IllegalArgumentException(
            e.source()
                + ": label word \""
                + e.options().get(k)
                + "\" is "
                + t.length
                + " tokens; the masked-LM form needs one token per word");
      }
      ids[k] = t[0];
    }
    return ids;
  }
}
