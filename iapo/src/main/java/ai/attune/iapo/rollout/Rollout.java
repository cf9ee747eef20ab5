package ai.attune.iapo.rollout;

import ai.attune.iapo.grpo.TokenMasks.TokenRole;
import ai.attune.iapo.reward.RolloutView;
import ai.attune.iapo.tools.ToolCallStats;
import ai.attune.models.qwen2vl.chat.BlockKind;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One finished multi-turn rollout: its token sequence with per-token bookkeeping ({@link
 * #trajectory()}), its turns and tool calls, how it ended, and the {@link RolloutView} reward
 * functions score. Immutable; holds plain Java arrays only (no NDArray).
 *
 * <p>The sequence is the initial prompt's tokens, then per turn the tokens the model generated (as
 * sampled) and, when it called tools, the environment's piece (tokenised on its own). The ids
 * decode to {@link #fullText()}.
 */
public final class Rollout {
  private static final Pattern PADS = Pattern.compile("(<\\|image_pad\\|>)+");

  private final int index;
  private final String exampleId;
  private final Trajectory trajectory;
  private final int promptLength;
  private final List<TurnRecord> turns;
  private final List<ToolCallRecord> toolCalls;
  private final String finalAnswer;
  private final RolloutEnd end;
  private final RolloutView view;

  Rollout(
      int index,
      String exampleId,
      Trajectory trajectory,
      int promptLength,
      List<TurnRecord> turns,
      List<ToolCallRecord> toolCalls,
      String finalAnswer,
      RolloutEnd end,
      RolloutView view) {
    this.index = index;
    this.exampleId = Objects.requireNonNull(exampleId, "exampleId");
    this.trajectory = Objects.requireNonNull(trajectory, "trajectory");
    this.promptLength = promptLength;
    this.turns = List.copyOf(turns);
    this.toolCalls = List.copyOf(toolCalls);
    this.finalAnswer = finalAnswer;
    this.end = Objects.requireNonNull(end, "end");
    this.view = Objects.requireNonNull(view, "view");
  }

  /** Its index in the group (0 .. G-1). */
  public int index() {
    return index;
  }

  public String exampleId() {
    return exampleId;
  }

  /** The token sequence and its per-token arrays. */
  public Trajectory trajectory() {
    return trajectory;
  }

  public long[] ids() {
    return trajectory.ids();
  }

  public TokenRole[] roles() {
    return trajectory.roles();
  }

  /** 1 at the tokens the model generated, 0 at prompt and tool-output tokens. */
  public float[] policyMask() {
    return trajectory.policyMask();
  }

  /** The sampling policy's raw log-probability of each generated token; 0 elsewhere. */
  public float[] oldLogprobs() {
    return trajectory.logprobs();
  }

  /** The input block of each prompt and tool-output token; null for markup and policy tokens. */
  public BlockKind[] blocks() {
    return trajectory.blocks();
  }

  /** The images, in order of appearance: the inputs, then each tool output fed back. */
  public List<TrajectoryImage> images() {
    return trajectory.images();
  }

  /** Tokens of the initial prompt. */
  public int promptLength() {
    return promptLength;
  }

  public List<TurnRecord> turns() {
    return turns;
  }

  /** Number of assistant turns generated. */
  public int turnCount() {
    return turns.size();
  }

  /** Every tool-call attempt, in order. */
  public List<ToolCallRecord> toolCalls() {
    return toolCalls;
  }

  /** The last {@code FINAL ANSWER: ...} the model gave, or null. */
  public String finalAnswer() {
    return finalAnswer;
  }

  public RolloutEnd end() {
    return end;
  }

  public ToolCallStats toolStats() {
    return view.toolStats();
  }

  /** What reward functions see. */
  public RolloutView view() {
    return view;
  }

  /** Exactly what the ids decode to, special tokens and image pads included. */
  public String fullText() {
    return trajectory.text();
  }

  /** The conversation for people: {@link #fullText()} with each image-pad run shortened. */
  public String text() {
    Matcher m = PADS.matcher(trajectory.text());
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      int pads = (m.end() - m.start()) / "<|image_pad|>".length();
      m.appendReplacement(sb, "<|image_pad|>×" + pads);
    }
    m.appendTail(sb);
    return sb.toString();
  }

  @Override
  public String toString() {
    return "Rollout "
        + index
        + " of "
        + exampleId
        + ": "
        + turns.size()
        + " turns, "
        + toolCalls.size()
        + " tool calls, "
        + trajectory.length()
        + " tokens, "
        + end
        + (finalAnswer == null ? "" : ", answer '" + finalAnswer + "'");
  }
}
