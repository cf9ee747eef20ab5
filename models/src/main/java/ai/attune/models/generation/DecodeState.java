package ai.attune.models.generation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The host side of one generation: the tokens chosen so far, which rows have finished and why. A
 * finished row takes the pad token at every later step, as HF does.
 */
final class DecodeState {
  private final long[][] generated;
  private final boolean[] finished;
  private final int[] newTokens;
  private final FinishReason[] reasons;
  private final Set<Long> stop;
  private final long pad;
  private int steps;

  DecodeState(int batch, int maxNewTokens, List<Integer> stopTokenIds, long pad) {
    this.generated = new long[batch][maxNewTokens];
    this.finished = new boolean[batch];
    this.newTokens = new int[batch];
    this.reasons = new FinishReason[batch];
    Arrays.fill(reasons, FinishReason.LENGTH);
    this.stop = stopTokenIds.stream().map(Integer::longValue).collect(Collectors.toSet());
    this.pad = pad;
  }

  /** Records the next step's chosen tokens; returns whether every row has now finished. */
  boolean record(long[] chosen) {
    boolean all = true;
    for (int b = 0; b < chosen.length; b++) {
      if (finished[b]) {
        generated[b][steps] = pad;
      } else {
        generated[b][steps] = chosen[b];
        newTokens[b]++;
        if (stop.contains(chosen[b])) {
          finished[b] = true;
          reasons[b] = FinishReason.STOP;
        }
      }
      all &= finished[b];
    }
    steps++;
    return all;
  }

  /** The tokens of the last recorded step, pad for rows that had finished before it. */
  long[] lastTokens() {
    long[] column = new long[generated.length];
    for (int b = 0; b < column.length; b++) {
      column[b] = generated[b][steps - 1];
    }
    return column;
  }

  int steps() {
    return steps;
  }

  /** Per-step values {@code [B * steps]} (row-major) as rows, with 0 at each row's padded steps. */
  float[][] rowsOfSteps(float[] flat) {
    float[][] rows = new float[generated.length][steps];
    for (int b = 0; b < rows.length; b++) {
      System.arraycopy(flat, b * steps, rows[b], 0, newTokens[b]);
    }
    return rows;
  }

  GenerationResult result(long[][] prompt, float[][] logprobs, float[][] samplingLogprobs) {
    int width = prompt.length == 0 ? 0 : prompt[0].length;
    long[][] sequences = new long[prompt.length][];
    for (int b = 0; b < prompt.length; b++) {
      sequences[b] = Arrays.copyOf(prompt[b], width + steps);
      System.arraycopy(generated[b], 0, sequences[b], width, steps);
    }
    return new GenerationResult(
        sequences,
        width,
        newTokens.clone(),
        logprobs,
        samplingLogprobs,
        new ArrayList<>(Arrays.asList(reasons)));
  }
}
