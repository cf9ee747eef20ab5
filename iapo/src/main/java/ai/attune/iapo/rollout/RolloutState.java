package ai.attune.iapo.rollout;

import ai.attune.core.noise.SeededNoise;
import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.grpo.TokenMasks.TokenRole;
import ai.attune.iapo.reward.RolloutView;
import ai.attune.iapo.tools.ToolCallStats;
import ai.attune.iapo.tools.ToolContext;
import ai.attune.iapo.tools.ToolResult;
import ai.attune.models.generation.FinishReason;
import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.models.qwen2vl.chat.ChatMessage;
import ai.attune.models.qwen2vl.chat.ParsedAssistantTurn;
import ai.attune.models.qwen2vl.chat.ToolCallParser;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * One rollout while it is being sampled: its growing token sequence, its tool context, its turns
 * and tool calls. {@link #applyTurn} takes one generated assistant turn and does what the
 * environment does with it: parse it, execute its tool calls (every problem becomes an error result
 * fed back, never an exception), append the tool results and the next generation prompt, or end the
 * rollout.
 */
final class RolloutState {
  private final int index;
  private final long seed;
  private final VqaExample example;
  private final Environment env;
  private final ToolContext ctx;
  private final TrajectoryBuilder builder;
  private final int promptLength;
  private final List<TurnRecord> turns = new ArrayList<>();
  private final List<ToolCallRecord> calls = new ArrayList<>();
  private String finalAnswer;
  private RolloutEnd end;

  /** A tool call's outcome before it is recorded. */
  private record Outcome(ToolCallBlocks.Block block, ToolResult result, ProcessedImage image) {}

  /**
   * @param index the rollout's index in its group
   * @param seed the group's seed
   * @param prompt a builder holding the initial prompt (copied)
   * @param inputs the example's images, already read
   */
  RolloutState(
      int index,
      long seed,
      VqaExample example,
      List<BufferedImage> inputs,
      TrajectoryBuilder prompt,
      Environment env) {
    this.index = index;
    this.seed = seed;
    this.example = example;
    this.env = env;
    this.ctx = ToolContext.of(inputs, example.boxes());
    this.builder = prompt.copy();
    this.promptLength = builder.length();
  }

  /** The seed of this rollout's sampling in {@code turn}: {@code derive(seed, turn, index)}. */
  long turnSeed(int turn) {
    return SeededNoise.derive(seed, turn, index);
  }

  boolean active() {
    return end == null;
  }

  /** The sequence so far: the next turn's prompt. */
  long[] ids() {
    return builder.ids();
  }

  List<TrajectoryImage> images() {
    return builder.images();
  }

  /**
   * Takes one generated turn.
   *
   * @param tokens the new tokens as sampled, the stop token included
   * @param logprobs the policy's raw log-probability of each
   * @throws IllegalStateException when the rollout has ended, or a vision placeholder is not the
   *     last token (a sampler must stop on them)
   */
  void applyTurn(long[] tokens, float[] logprobs, FinishReason finish) {
    if (!active()) {
      throw new IllegalStateException("rollout " + index + " has ended (" + end + ")");
    }
    boolean invalid = false;
    for (int i = 0; i < tokens.length; i++) {
      if (env.special().isVisionPad(tokens[i])) {
        if (i != tokens.length - 1) {
          throw new IllegalStateException(
              "the sampler went on after a vision placeholder at"
                  + " token "
                  + i
                  + "; it must stop there");
        }
        invalid = true;
      }
    }
    String text = env.tokenizer().decode(tokens);
    int start = builder.appendPolicy(tokens, logprobs, text);
    ParsedAssistantTurn parsed = ToolCallParser.parse(text);
    parsed.finalAnswer().ifPresent(a -> finalAnswer = a);
    int turn = turns.size();
    List<ToolCallBlocks.Block> blocks = invalid ? List.of() : ToolCallBlocks.find(text, parsed);
    List<Outcome> outcomes = blocks.stream().map(this::run).toList();
    int imagesBefore = builder.images().size();
    if (invalid) {
      end = RolloutEnd.INVALID_TOKEN;
    } else if (blocks.isEmpty()) {
      end = parsed.finalAnswer().isPresent() ? RolloutEnd.FINAL_ANSWER : RolloutEnd.NO_TOOL_CALL;
    } else if (turn + 1 >= env.config().maxTurns()) {
      end = RolloutEnd.TURN_LIMIT;
    } else {
      boolean endedTurn =
          finish == FinishReason.STOP && tokens[tokens.length - 1] == env.special().imEnd();
      String closing = endedTurn ? "\n" : SpecialTokens.IM_END + "\n";
      List<ChatMessage> feedback = outcomes.stream().map(RolloutState::message).toList();
      builder.appendRendered(RolloutPrompts.environment(closing, feedback), TokenRole.TOOL_OUTPUT);
    }
    record(turn, start, tokens, text, outcomes, end == null ? imagesBefore : -1);
    turns.add(
        new TurnRecord(turn, start, start + tokens.length, text, finish, parsed, builder.length()));
  }

  private Outcome run(ToolCallBlocks.Block b) {
    if (b.error() != null) {
      return new Outcome(b, env.registry().parseFailure(b.error(), ctx), null);
    }
    ToolResult r = env.registry().execute(b.call(), ctx);
    if (!r.ok() || r.image() == null) {
      return new Outcome(b, r, null);
    }
    try {
      return new Outcome(b, r, env.processor().process(r.image()));
    } catch (RuntimeException e) {
      return new Outcome(
          b,
          ToolResult.error(
              b.call().name()
                  + ": its output image ("
                  + r.image().getWidth()
                  + "x"
                  + r.image().getHeight()
                  + ") cannot be shown to the model: "
                  + e.getMessage()),
          null);
    }
  }

  private static ChatMessage message(Outcome o) {
    return RolloutPrompts.toolMessage(o.result(), o.image());
  }

  /** Records the outcomes; fed-back images got indexes from {@code firstImage} on (-1: none). */
  private void record(
      int turn, int start, long[] tokens, String text, List<Outcome> outcomes, int firstImage) {
    TokenOffsets offsets = outcomes.isEmpty() ? null : TokenOffsets.of(env.tokenizer(), tokens);
    int nextImage = firstImage;
    for (Outcome o : outcomes) {
      ToolCallBlocks.Block b = o.block();
      int[] range = offsets.tokenRange(b.start(), b.end());
      int image = -1;
      if (o.image() != null && firstImage >= 0) {
        image = nextImage++;
      }
      calls.add(
          new ToolCallRecord(
              turn,
              start + range[0],
              start + range[1],
              text.substring(b.start(), b.end()),
              b.call(),
              b.error(),
              o.result(),
              image));
    }
  }

  /** The finished rollout; fails while it is still active. */
  Rollout finish() {
    if (active()) {
      throw new IllegalStateException("rollout " + index + " has not ended");
    }
    int parseFailures = 0;
    int runFailures = 0;
    for (ToolCallRecord c : calls) {
      parseFailures += c.parsed() ? 0 : 1;
      runFailures += c.parsed() && !c.ok() ? 1 : 0;
    }
    ToolCallStats stats = new ToolCallStats(calls.size(), parseFailures, runFailures);
    String completion = String.join("\n", turns.stream().map(TurnRecord::text).toList());
    RolloutView view =
        new RolloutView(
            example.question(),
            example.answer(),
            finalAnswer,
            turns.stream().map(TurnRecord::parsed).toList(),
            stats,
            completion);
    return new Rollout(
        index, example.id(), builder.build(), promptLength, turns, calls, finalAnswer, end, view);
  }
}
