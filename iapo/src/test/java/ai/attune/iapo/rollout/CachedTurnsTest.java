package ai.attune.iapo.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.grpo.TokenMasks.TokenRole;
import ai.attune.models.generation.GenerationConfig;
import ai.attune.models.generation.GenerationResult;
import ai.attune.models.qwen2vl.ProcessedImage;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The KV cache kept across turns ({@link CachedTurns}) against feeding every sequence again ({@link
 * RepromptTurns} with the generator), on the tiny Qwen2.5-VL: the untrained model rarely calls
 * tools, so after each generated turn every row gets a scripted tool call appended to its own
 * tokens (zoom_in or highlight, both returning an image), and the next turn's chunk holds the rest
 * of that call, the tool response with its image and the next prompt. Rows stop at different steps
 * (a stop token is chosen so they do), so the pads of stopped rows are masked out of the kept
 * cache.
 */
@Tag("engine")
class CachedTurnsTest {
  static final String ZOOM =
      "<tool_call>\n{\"name\": \"zoom_in\", \"arguments\": {\"bbox\":"
          + " [100, 6, 179, 168]}}\n</tool_call>";
  static final String HIGHLIGHT =
      "<tool_call>\n{\"name\": \"highlight\", \"arguments\":"
          + " {\"columns\": [\"2013\"]}}\n</tool_call>";
  static TinyVl vl;
  static List<VqaExample> examples;

  @BeforeAll
  static void load() {
    vl = new TinyVl();
    examples = TinyVl.train().subList(0, 2);
  }

  @AfterAll
  static void close() {
    vl.close();
  }

  /**
   * Two questions x two rollouts, three turns; every turn's generated tokens, row by row (and their
   * log-probabilities into {@code logprobs}).
   */
  static List<long[][]> drive(
      TurnEngine engine,
      List<RolloutState> states,
      GenerationConfig base,
      List<int[]> stepsAndStopped,
      List<float[]> logprobs) {
    return drive(engine, states, base, stepsAndStopped, logprobs, 3);
  }

  static List<long[][]> drive(
      TurnEngine engine,
      List<RolloutState> states,
      GenerationConfig base,
      List<int[]> stepsAndStopped,
      List<float[]> logprobs,
      int turns) {
    List<long[][]> out = new ArrayList<>();
    try (engine) {
      for (int turn = 0; turn < turns; turn++) {
        List<RolloutState> active = states.stream().filter(RolloutState::active).toList();
        int k = turn;
        GenerationResult r =
            engine.generate(
                active,
                base.toBuilder()
                    .optRowSeeds(active.stream().map(s -> s.turnSeed(k)).toList())
                    .build(),
                vl.root);
        long[][] generated = new long[active.size()][];
        int stopped = 0;
        for (int b = 0; b < active.size(); b++) {
          generated[b] = r.newTokensOf(b);
          logprobs.add(Arrays.copyOf(r.logprobs()[b], generated[b].length));
          stopped += generated[b].length < r.steps() ? 1 : 0;
          String script = turn == 2 ? "FINAL ANSWER: 17" : (b + turn) % 2 == 0 ? ZOOM : HIGHLIGHT;
          long last = generated[b][generated[b].length - 1];
          long[] tokens =
              vl.model.config().imageTokenId() == last
                  ? generated[b]
                  : concat(generated[b], vl.tokenizer.encode(script));
          float[] lp = new float[tokens.length];
          active.get(b).applyTurn(tokens, lp, r.finishReasons().get(b));
        }
        stepsAndStopped.add(new int[] {r.steps(), stopped});
        out.add(generated);
      }
    }
    return out;
  }

  /**
   * A token that stops some row of {@code rows} after at least two tokens while another row runs
   * longer or to the limit.
   */
  static int splittingStop(long[][] rows) {
    for (long[] row : rows) {
      for (long candidate : row) {
        int[] at = new int[rows.length];
        for (int b = 0; b < rows.length; b++) {
          at[b] = rows[b].length;
          for (int t = rows[b].length - 1; t >= 0; t--) {
            at[b] = rows[b][t] == candidate ? t : at[b];
          }
        }
        int min = Arrays.stream(at).min().orElseThrow();
        int max = Arrays.stream(at).max().orElseThrow();
        if (min >= 2 && min < max) {
          return (int) candidate;
        }
      }
    }
    throw new AssertionError(
        "no token stops the rows at different steps: " + Arrays.deepToString(rows));
  }

  static long[] concat(long[] a, long[] b) {
    long[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static List<RolloutState> states() {
    RolloutConfig config = TinyVl.config(3, 12);
    Environment env =
        new Environment(
            vl.tokenizer, SpecialTokens.of(vl.tokenizer), TinyVl.registry(), vl.processor, config);
    List<RolloutState> out = new ArrayList<>();
    for (VqaExample e : examples) {
      List<BufferedImage> inputs = e.loadImages();
      List<ProcessedImage> images = inputs.stream().map(vl.processor::process).toList();
      TrajectoryBuilder prompt = new TrajectoryBuilder(vl.tokenizer, env.special());
      prompt.appendRendered(
          RolloutPrompts.initial(e.question(), images, config.systemPrompt(), List.of()),
          TokenRole.PROMPT);
      for (int i = 0; i < 2; i++) {
        out.add(new RolloutState(i, 11L, e, inputs, prompt, env));
      }
    }
    return out;
  }

  @Test
  void greedyTurnsWithTheKeptCacheGiveTheTokensOfReprompting() {
    SpecialTokens special = SpecialTokens.of(vl.tokenizer);
    GenerationConfig greedy =
        GenerationConfig.builder()
            .setMaxNewTokens(12)
            .optStopTokenIds(List.of(special.imagePad(), special.videoPad()))
            .optPadTokenId(special.endOfText())
            .optReturnLogprobs(true)
            .build();
    compare(greedy);
  }

  @Test
  void sampledTurnsWithTheKeptCacheGiveTheTokensOfReprompting() {
    SpecialTokens special = SpecialTokens.of(vl.tokenizer);
    GenerationConfig sampled =
        GenerationConfig.builder()
            .setMaxNewTokens(12)
            .optTemperature(1.0)
            .optStopTokenIds(List.of(special.imagePad(), special.videoPad()))
            .optPadTokenId(special.endOfText())
            .optReturnLogprobs(true)
            .build();
    // A stop token chosen from what the rows sample, so that rows stop at different steps.
    long[][] first =
        drive(
                new RepromptTurns(vl.model, TurnSampler.generator(), special.endOfText()),
                states(),
                sampled,
                new ArrayList<>(),
                new ArrayList<>(),
                1)
            .get(0);
    List<int[]> steps =
        compare(
            sampled.toBuilder()
                .optStopTokenIds(
                    List.of(special.imagePad(), special.videoPad(), splittingStop(first)))
                .build());
    assertThat(steps.get(0)[1] + steps.get(1)[1])
        .as("rows stopped early, then continued")
        .isGreaterThan(0);
  }

  /**
   * Runs both engines with {@code config}; asserts equal tokens, log-probabilities within 1e-4,
   * equal sequences and tool images fed back; returns the cached run's [steps, rows stopped early]
   * per turn.
   */
  static List<int[]> compare(GenerationConfig config) {
    long pad = SpecialTokens.of(vl.tokenizer).endOfText();
    List<int[]> steps = new ArrayList<>();
    List<float[]> cachedLp = new ArrayList<>();
    List<float[]> repromptLp = new ArrayList<>();
    List<RolloutState> cachedStates = states();
    List<long[][]> cached =
        drive(new CachedTurns(vl.model, pad), cachedStates, config, steps, cachedLp);
    List<RolloutState> repromptStates = states();
    List<long[][]> reprompt =
        drive(
            new RepromptTurns(vl.model, TurnSampler.generator(), pad),
            repromptStates,
            config,
            new ArrayList<>(),
            repromptLp);
    for (int t = 0; t < 3; t++) {
      assertThat(cached.get(t)).as("turn %d", t).isDeepEqualTo(reprompt.get(t));
    }
    double max = 0;
    for (int i = 0; i < cachedLp.size(); i++) {
      for (int j = 0; j < cachedLp.get(i).length; j++) {
        max = Math.max(max, Math.abs(cachedLp.get(i)[j] - repromptLp.get(i)[j]));
      }
    }
    assertThat(max).as("cached vs reprompted log-probabilities").isLessThan(1e-4);
    for (int b = 0; b < cachedStates.size(); b++) {
      assertThat(cachedStates.get(b).ids()).isEqualTo(repromptStates.get(b).ids());
    }
    List<Integer> images = cachedStates.stream().map(s -> s.images().size()).toList();
    System.out.printf(
        "images per row %s, [steps, rows stopped early] per turn %s, max |lp" + " diff| %.2e%n",
        images, steps.stream().map(Arrays::toString).toList(), max);
    assertThat(images).as("tool images fed back after both turns").contains(3);
    assertThat(images.stream().mapToInt(i -> i - 1).sum()).isGreaterThanOrEqualTo(5);
    return steps;
  }

  @Test
  void runnerRolloutsAreReproducibleBatchIndependentAndMatchTeacherForcing() {
    RolloutConfig sampled =
        RolloutConfig.builder()
            .optMaxTurns(2)
            .optMaxNewTokensPerTurn(16)
            .optOfferTools(false)
            .optTemperature(1.0)
            .build();
    RolloutRunner cached =
        new RolloutRunner(vl.model, vl.tokenizer, vl.processor, TinyVl.registry(), sampled);
    RolloutRunner reprompt =
        new RolloutRunner(
            vl.model,
            vl.tokenizer,
            vl.processor,
            TinyVl.registry(),
            sampled,
            TurnSampler.generator());
    long[] seeds = {21, 22};
    List<List<Rollout>> batched = cached.runAll(examples, 3, seeds, vl.root);
    List<List<Rollout>> again = cached.runAll(examples, 3, seeds, vl.root);
    List<Rollout> alone = cached.run(examples.get(1), 3, seeds[1], vl.root);
    List<List<Rollout>> fed = reprompt.runAll(examples, 3, seeds, vl.root);
    for (int e = 0; e < 2; e++) {
      for (int i = 0; i < 3; i++) {
        long[] ids = batched.get(e).get(i).ids();
        assertThat(again.get(e).get(i).ids()).isEqualTo(ids);
        assertThat(fed.get(e).get(i).ids()).isEqualTo(ids);
        if (e == 1) {
          assertThat(alone.get(i).ids()).isEqualTo(ids);
        }
      }
    }
    assertThat(batched.get(0).get(0).ids()).isNotEqualTo(batched.get(0).get(1).ids());
    RolloutChecks.logprobsMatchTeacherForcing(
        vl.model,
        batched.stream().flatMap(List::stream).toList(),
        cached.specialTokens().endOfText(),
        vl.root);
  }
}
