package ai.attune.models.qwen2vl;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The temporal/height/width position ids of a prompt batch with images, as HF's {@code
 * get_rope_index} computes them for Qwen2.5-VL's multimodal rotary embedding.
 *
 * <p>In each row only the tokens the attention mask keeps count. Text tokens get the same position
 * on all three axes, one more than the largest position before them. The {@code t·h·w / merge²}
 * image tokens that follow a {@code <|vision_start|>} get {@code (0, row, column)} of the merged
 * grid, offset by the position where the image starts (an image's temporal index is always 0); the
 * text after it starts at that offset plus the longer side of the merged grid. Padding positions
 * get 0, as in transformers 5.
 *
 * <p>The rope delta of a row is {@code max position + 1 - T} with T the padded prompt length, so
 * that sequence index {@code i >= T} (cached positions included) has position {@code i + delta} on
 * all axes. (transformers 5 reports {@code max + 1 - real tokens} and adds it to the count of real
 * tokens before the index; for prompts whose generated tokens are all unmasked both give the same
 * positions.)
 *
 * <p>Images are taken from {@code gridThw} in order of appearance, row after row.
 */
public final class MropePositions {
  private final long[][][] prompt; // [3][B][T]
  private final long[] deltas;
  private final long origin; // the sequence index of the prompt's first column

  private MropePositions(long[][][] prompt, long[] deltas, long origin) {
    this.prompt = prompt;
    this.deltas = deltas;
    this.origin = origin;
  }

  /** Positions of the prompts of {@code config}'s special tokens and merge size. */
  public static MropePositions of(
      long[][] inputIds, long[][] attentionMask, long[][] gridThw, Qwen25VlConfig config) {
    return of(
        inputIds,
        attentionMask,
        gridThw,
        config.imageTokenId(),
        config.videoTokenId(),
        config.visionStartTokenId(),
        config.vision().spatialMergeSize());
  }

  /**
   * @param inputIds token ids {@code [B][T]}
   * @param attentionMask 1 for tokens, 0 for padding, {@code [B][T]}
   * @param gridThw temporal, height and width patches of each image, in order of appearance
   */
  public static MropePositions of(
      long[][] inputIds,
      long[][] attentionMask,
      long[][] gridThw,
      int imageTokenId,
      int videoTokenId,
      int visionStartTokenId,
      int mergeSize) {
    return continuation(
        inputIds,
        attentionMask,
        gridThw,
        0,
        new long[inputIds.length],
        imageTokenId,
        videoTokenId,
        visionStartTokenId,
        mergeSize);
  }

  /**
   * Positions of a chunk of tokens appended to sequences whose earlier tokens are in a KV cache (a
   * multi-turn rollout's tool output and next prompt): the chunk's columns are sequence indexes
   * {@code origin ..}, and row b's first kept token continues from {@code next[b]}, the position
   * after the largest one of the row so far ({@link #nextPositions()} of the previous chunk plus
   * the decoded tokens). Appended images get their grid positions from there, as in one pass over
   * the whole sequence. {@code of} is the chunk at origin 0 starting at 0.
   */
  public static MropePositions continuation(
      long[][] inputIds,
      long[][] attentionMask,
      long[][] gridThw,
      long origin,
      long[] next,
      Qwen25VlConfig config) {
    return continuation(
        inputIds,
        attentionMask,
        gridThw,
        origin,
        next,
        config.imageTokenId(),
        config.videoTokenId(),
        config.visionStartTokenId(),
        config.vision().spatialMergeSize());
  }

  private static MropePositions continuation(
      long[][] inputIds,
      long[][] attentionMask,
      long[][] gridThw,
      long origin,
      long[] next,
      int imageTokenId,
      int videoTokenId,
      int visionStartTokenId,
      int mergeSize) {
    int rows = inputIds.length;
    if (next.length != rows) {
      throw new IllegalArgumentException(
          "next positions for " + next.length + " rows, the ids" + " have " + rows);
    }
    int length = rows == 0 ? 0 : inputIds[0].length;
    long[][][] positions = new long[3][rows][length];
    long[] deltas = new long[rows];
    Cursor images = new Cursor(gridThw, mergeSize);
    for (int b = 0; b < rows; b++) {
      if (inputIds[b].length != length || attentionMask[b].length != length) {
        throw new IllegalArgumentException(
            "row " + b + " of the ids or mask is not " + length + " long");
      }
      int[] kept = keptIndexes(attentionMask[b]);
      long[] tokens = new long[kept.length];
      for (int k = 0; k < kept.length; k++) {
        tokens[k] = inputIds[b][kept[k]];
      }
      long[][] row =
          rowPositions(tokens, b, images, imageTokenId, videoTokenId, visionStartTokenId, next[b]);
      long max = next[b] - 1;
      for (int a = 0; a < 3; a++) {
        for (int k = 0; k < kept.length; k++) {
          positions[a][b][kept[k]] = row[a][k];
          max = Math.max(max, row[a][k]);
        }
      }
      deltas[b] = max + 1 - length - origin;
    }
    if (images.next != gridThw.length) {
      throw new IllegalArgumentException(
          "gridThw gives " + gridThw.length + " images but the prompts hold " + images.next);
    }
    return new MropePositions(positions, deltas, origin);
  }

  private static int[] keptIndexes(long[] mask) {
    return IntStream.range(0, mask.length).filter(i -> mask[i] == 1).toArray();
  }

  /** Positions {@code [3][n]} of the kept tokens of one row. */
  private static long[][] rowPositions(
      long[] tokens,
      int row,
      Cursor images,
      int imageTokenId,
      int videoTokenId,
      int visionStartTokenId,
      long startPosition) {
    int n = tokens.length;
    long[][] pos = new long[3][n];
    int start = 0; // the first token not yet placed
    long next = startPosition; // the position of that token if it is text
    for (int k = 0; k + 1 < n; k++) {
      if (tokens[k] != visionStartTokenId) {
        continue;
      }
      if (tokens[k + 1] == videoTokenId) {
        throw new IllegalArgumentException(
            "row " + row + " holds a video; only images are" + " supported");
      }
      if (tokens[k + 1] != imageTokenId) {
        continue;
      }
      int first = indexOf(tokens, imageTokenId, start);
      long[] grid = images.take(row);
      int h = (int) grid[1];
      int w = (int) grid[2];
      int count = (int) grid[0] * h * w;
      for (int i = start; i < first; i++) { // text before the image
        fill(pos, i, next + i - start);
      }
      long base = next + first - start;
      for (int i = 0; i < count; i++) {
        int at = first + i;
        if (at >= n || tokens[at] != imageTokenId) {
          throw new IllegalArgumentException(
              "row "
                  + row
                  + ": image "
                  + (images.next - 1)
                  + " needs "
                  + count
                  + " image tokens from position "
                  + first
                  + ", found "
                  + i);
        }
        pos[0][at] = base; // an image's temporal index is 0
        pos[1][at] = base + (i % (h * w)) / w;
        pos[2][at] = base + i % w;
      }
      next = base + Math.max(h, w);
      start = first + count;
      k = start - 1;
    }
    for (int i = start; i < n; i++) {
      fill(pos, i, next + i - start);
    }
    return pos;
  }

  private static int indexOf(long[] tokens, long value, int from) {
    for (int i = from; i < tokens.length; i++) {
      if (tokens[i] == value) {
        return i;
      }
    }
    return -1;
  }

  private static void fill(long[][] pos, int at, long value) {
    pos[0][at] = value;
    pos[1][at] = value;
    pos[2][at] = value;
  }

  /** Images of {@code gridThw} in order, as merged grids. */
  private static final class Cursor {
    private final long[][] grids;
    private final int merge;
    private int next;

    Cursor(long[][] grids, int merge) {
      this.grids = grids;
      this.merge = merge;
    }

    /** The merged grid (t, h / merge, w / merge) of the next image. */
    long[] take(int row) {
      if (next >= grids.length) {
        throw new IllegalArgumentException(
            "row "
                + row
                + " holds image "
                + next
                + " but gridThw gives only "
                + grids.length
                + " images");
      }
      long[] g = grids[next++];
      return new long[] {g[0], g[1] / merge, g[2] / merge};
    }
  }

  /** Rows of the prompt batch. */
  public int batchSize() {
    return deltas.length;
  }

  /** The padded prompt length T. */
  public int promptLength() {
    return prompt[0].length == 0 ? 0 : prompt[0][0].length;
  }

  /** The prompt's positions {@code [3][B][T]} (a copy). */
  public long[][][] prompt() {
    long[][][] copy = new long[3][][];
    for (int a = 0; a < 3; a++) {
      copy[a] = Arrays.stream(prompt[a]).map(long[]::clone).toArray(long[][]::new);
    }
    return copy;
  }

  /** The rope delta of each row, relative to the padded length (a copy). */
  public long[] ropeDeltas() {
    return deltas.clone();
  }

  /** Per row, the position after the largest one of the prompt: the next token's. */
  public long[] nextPositions() {
    long[] next = new long[deltas.length];
    for (int b = 0; b < next.length; b++) {
      next[b] = origin + promptLength() + deltas[b];
    }
    return next;
  }

  /**
   * Positions {@code [3][rows][length]} of sequence indexes {@code start .. start + length - 1}:
   * the prompt's from its origin (0 unless a {@link #continuation}) below origin + T, {@code index
   * + delta} from there on. With a one-row prompt any number of rows repeat it (an attribution's
   * batch of interpolated inputs).
   */
  public long[][][] window(long start, int length, int rows) {
    int batch = batchSize();
    if (rows != batch && batch != 1) {
      throw new IllegalArgumentException(
          "the positions are for " + batch + " prompt rows, the pass has " + rows);
    }
    int t = promptLength();
    long[][][] out = new long[3][rows][length];
    for (int a = 0; a < 3; a++) {
      for (int b = 0; b < rows; b++) {
        int src = batch == 1 ? 0 : b;
        for (int j = 0; j < length; j++) {
          long i = start + j;
          if (i < origin) {
            throw new IllegalArgumentException(
                "sequence index "
                    + i
                    + " lies before these"
                    + " positions, which start at "
                    + origin);
          }
          out[a][b][j] = i < origin + t ? prompt[a][src][(int) (i - origin)] : i + deltas[src];
        }
      }
    }
    return out;
  }
}
