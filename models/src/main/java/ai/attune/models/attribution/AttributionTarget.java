package ai.attune.models.attribution;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The scalar whose gradient an attribution explains, computed from the logits of a forward pass.
 * Rows are independent: the target of a batch is the sum of the rows' targets, so one backward pass
 * gives every row's gradient.
 */
@FunctionalInterface
public interface AttributionTarget {

  /** The target per row, float32 {@code [B]}, from float32 logits {@code [B, T, V]}. */
  NDArray perRow(NDArray logits);

  /**
   * The summed log-probability of tokens {@code ids[j]} for j in {@code [from, to)}, each given
   * everything before it: {@code Σ_j log p(ids[j] | ids[:j])}. This is the fixture's target and
   * IAPO's (the tool-call tokens of a rollout).
   *
   * @param ids the token ids of the sequence (the same for every row)
   */
  static AttributionTarget tokenLogProb(long[] ids, int from, int to) {
    if (from < 1 || to > ids.length || from >= to) {
      throw new IllegalArgumentException(
          "target tokens [" + from + ", " + to + ") must lie in [1, " + ids.length + ")");
    }
    return logits -> {
      NDArray logp = logits.get(":, " + (from - 1) + ":" + (to - 1) + ", :").logSoftmax(-1);
      long rows = logits.getShape().get(0);
      long[] wanted = new long[(int) rows * (to - from)];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(ids, from, wanted, r * (to - from), to - from);
      }
      NDArray index = logits.getManager().create(wanted).reshape(rows, to - from, 1);
      return logp.gather(index, 2).squeeze(2).sum(new int[] {1});
    };
  }

  /**
   * The summed log-probability of the tokens of several ranges (the tool calls of one turn, or the
   * assistant turns of a whole response): the sum of {@link #tokenLogProb(long[], int, int)} over
   * {@code ranges}, which must not overlap.
   */
  static AttributionTarget tokenLogProb(long[] ids, List<TokenRange> ranges) {
    if (ranges.isEmpty()) {
      throw new IllegalArgumentException("a target needs at least one token range");
    }
    for (int i = 0; i < ranges.size(); i++) {
      for (int j = i + 1; j < ranges.size(); j++) {
        if (ranges.get(i).overlaps(ranges.get(j))) {
          throw new IllegalArgumentException(
              "target ranges " + ranges.get(i) + " and " + ranges.get(j) + " overlap");
        }
      }
    }
    List<AttributionTarget> parts =
        ranges.stream().map(r -> tokenLogProb(ids, r.from(), r.to())).toList();
    return logits -> {
      NDArray sum = parts.get(0).perRow(logits);
      for (int i = 1; i < parts.size(); i++) {
        sum = sum.add(parts.get(i).perRow(logits));
      }
      return sum;
    };
  }
}
