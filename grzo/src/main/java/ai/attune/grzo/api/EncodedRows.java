package ai.attune.grzo.api;

import ai.attune.models.LanguageModel;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The user's examples encoded and left-padded into one token batch, on the host: what {@link
 * ExampleBatchLoss} and the evaluation turn into arrays, and what GRZO needs to know before a pass
 * (the row tokens, with -1 at padding).
 *
 * @param <E> the type of the user's examples
 */
final class EncodedRows<E> {
  final List<E> examples;
  final long[][] tokens;
  private final long padId;

  private EncodedRows(List<E> examples, long[][] tokens, long padId) {
    this.examples = examples;
    this.tokens = tokens;
    this.padId = padId;
  }

  /**
   * Encodes {@code examples}; fails naming the example (its index in {@code indices}' list and its
   * text) when its ids are empty, outside the vocabulary or longer than the model's positions.
   */
  static <E> EncodedRows<E> encode(
      List<E> examples,
      int[] indices,
      String split,
      ExampleEncoder<E> encoder,
      TextTokenizer tokenizer,
      LanguageModel model) {
    int vocab = model.info().vocabSize();
    long[][] rows = new long[examples.size()][];
    for (int i = 0; i < rows.length; i++) {
      E e = examples.get(i);
      long[] ids = encoder.encode(e, tokenizer);
      String where = split + " example " + indices[i] + " (" + e + ")";
      if (ids == null || ids.length == 0) {
        throw new IllegalArgumentException(where + ": the encoder gave no token ids");
      }
      if (ids.length > model.maxPositions()) {
        throw new IllegalArgumentException(
            where
                + ": "
                + ids.length
                + " tokens, more than the model's "
                + model.maxPositions()
                + " positions");
      }
      for (int t = 0; t < ids.length; t++) {
        if (ids[t] < 0 || ids[t] >= vocab) {
          throw new IllegalArgumentException(
              where
                  + ": token id "
                  + ids[t]
                  + " at position "
                  + t
                  + " is outside [0, "
                  + vocab
                  + ")");
        }
      }
      rows[i] = ids.clone();
    }
    return new EncodedRows<>(List.copyOf(examples), rows, model.info().padTokenId());
  }

  int width() {
    int t = 0;
    for (long[] r : tokens) {
      t = Math.max(t, r.length);
    }
    return t;
  }

  /** The row tokens, left-padded with -1 (GRZO's {@code rowTokens}). */
  long[][] paddedTokens() {
    int t = width();
    long[][] out = new long[tokens.length][t];
    for (int r = 0; r < tokens.length; r++) {
      int pad = t - tokens[r].length;
      java.util.Arrays.fill(out[r], 0, pad, -1L);
      System.arraycopy(tokens[r], 0, out[r], pad, tokens[r].length);
    }
    return out;
  }

  /** The batch stacked {@code copies} times (copy-major), as arrays in {@code manager}. */
  ExampleBatch<E> toBatch(int copies, NDManager manager, TextTokenizer tokenizer) {
    int t = width();
    int n = tokens.length * copies;
    long[] ids = new long[n * t];
    long[] mask = new long[n * t];
    long[][] padded = paddedTokens();
    for (int row = 0; row < n; row++) {
      long[] src = padded[row % tokens.length];
      for (int j = 0; j < t; j++) {
        boolean pad = src[j] < 0;
        ids[row * t + j] = pad ? padId : src[j];
        mask[row * t + j] = pad ? 0 : 1;
      }
    }
    Shape shape = new Shape(n, t);
    List<E> repeated = new ArrayList<>(n);
    for (int c = 0; c < copies; c++) {
      repeated.addAll(examples);
    }
    return new ExampleBatch<>(
        Collections.unmodifiableList(repeated),
        manager.create(ids, shape),
        manager.create(mask, shape),
        tokenizer);
  }

  /** The losses {@code loss} gives {@code batch}, checked: one finite-or-not number per row. */
  static <E> double[] losses(ExampleLoss<E> loss, LanguageModel model, ExampleBatch<E> batch) {
    NDArray values = loss.apply(model, batch);
    if (values == null) {
      throw new IllegalStateException("the example loss returned null");
    }
    if (values.getShape().dimension() != 1 || values.size() != batch.size()) {
      throw new IllegalStateException(
          "the example loss must return one value per row, shape ["
              + batch.size()
              + "], got "
              + values.getShape());
    }
    double[] out = new double[batch.size()];
    float[] f = values.toType(DataType.FLOAT32, false).toFloatArray();
    for (int i = 0; i < out.length; i++) {
      out[i] = f[i];
    }
    return out;
  }
}
