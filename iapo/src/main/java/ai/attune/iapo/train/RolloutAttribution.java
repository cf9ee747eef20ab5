package ai.attune.iapo.train;

import ai.attune.iapo.attribution.AlignmentConfig;
import ai.attune.iapo.attribution.AttributionInput;
import ai.attune.iapo.attribution.AttributionResult;
import ai.attune.iapo.attribution.BlockAttribution;
import ai.attune.iapo.rollout.Rollout;
import ai.attune.iapo.rollout.ToolCallRecord;
import ai.attune.iapo.rollout.TrajectoryImage;
import ai.attune.iapo.rollout.TurnRecord;
import ai.attune.models.attribution.TokenRange;
import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.attune.models.qwen2vl.chat.BlockKind;
import ai.attune.models.qwen2vl.chat.RenderedPrompt.TokenSpan;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What of a rollout is attributed: its first assistant turn that attempted a tool call (the
 * decision to call a tool), with the tool-call blocks of that turn as the {@code tool_call} target
 * and the whole turn as the {@code response} target. The input blocks are the runs of per-token
 * {@link BlockKind}s of everything before the turn (the prompt and, for a later turn, earlier tool
 * outputs); the images are those whose pads lie before it.
 *
 * <p>A rollout that attempted no tool call has no tool-call decision to explain and gets no
 * attribution: its divergence is NaN and its reward is not shaped (documented in docs/iapo.md).
 */
public final class RolloutAttribution {
  private RolloutAttribution() {}

  /** The attribution input of {@code rollout}, or empty when it attempted no tool call. */
  public static Optional<AttributionInput> of(Rollout rollout) {
    if (rollout.toolCalls().isEmpty()) {
      return Optional.empty();
    }
    int turnIndex = rollout.toolCalls().get(0).turn();
    TurnRecord turn = rollout.turns().get(turnIndex);
    List<TokenRange> calls = new ArrayList<>();
    for (ToolCallRecord c : rollout.toolCalls()) {
      if (c.turn() == turnIndex) {
        calls.add(new TokenRange(c.tokenStart(), c.tokenEnd()));
      }
    }
    int cut = turn.tokenStart();
    List<ProcessedImage> images = new ArrayList<>();
    for (TrajectoryImage i : rollout.images()) {
      if (i.tokenEnd() <= cut) {
        images.add(i.image());
      }
    }
    long[] ids = rollout.ids();
    long[] upToTurn = Arrays.copyOf(ids, turn.tokenEnd());
    return Optional.of(
        new AttributionInput(
            upToTurn,
            blockSpans(rollout.blocks(), cut),
            calls,
            List.of(new TokenRange(turn.tokenStart(), turn.tokenEnd())),
            images));
  }

  /**
   * The divergence D of each rollout (NaN when it attempted no tool call): the student's and the
   * teacher's attributions of every attributed rollout, each model's vision tower run once per
   * group of rollouts with the same images ({@link BlockAttribution#attributeAll}), timed as the
   * {@code attribution} and {@code teacher} phases.
   */
  static double[] divergences(
      List<Rollout> rollouts,
      Qwen25VlForConditionalGeneration student,
      Qwen25VlForConditionalGeneration teacher,
      BlockAttribution attribution,
      AlignmentConfig alignment,
      PhaseTimes times,
      NDManager parent) {
    double[] d = new double[rollouts.size()];
    Arrays.fill(d, Double.NaN);
    List<Integer> attributed = new ArrayList<>();
    List<AttributionInput> inputs = new ArrayList<>();
    for (int i = 0; i < rollouts.size(); i++) {
      Optional<AttributionInput> in = of(rollouts.get(i));
      if (in.isPresent()) {
        attributed.add(i);
        inputs.add(in.get());
      }
    }
    if (inputs.isEmpty()) {
      return d;
    }
    List<AttributionResult> s =
        times.time(Phase.ATTRIBUTION, () -> attribution.attributeAll(student, inputs, parent));
    List<AttributionResult> t =
        times.time(Phase.TEACHER, () -> attribution.attributeAll(teacher, inputs, parent));
    for (int k = 0; k < inputs.size(); k++) {
      d[attributed.get(k)] =
          alignment
              .divergence()
              .between(t.get(k).distribution(), s.get(k).distribution(), alignment.epsilon());
    }
    return d;
  }

  /** Maximal runs of equal non-null block kinds among tokens {@code [0, end)}. */
  static List<TokenSpan> blockSpans(BlockKind[] blocks, int end) {
    List<TokenSpan> out = new ArrayList<>();
    int t = 0;
    while (t < end) {
      BlockKind k = blocks[t];
      int start = t;
      while (t < end && blocks[t] == k) {
        t++;
      }
      if (k != null) {
        out.add(new TokenSpan(k, start, t));
      }
    }
    return out;
  }
}
