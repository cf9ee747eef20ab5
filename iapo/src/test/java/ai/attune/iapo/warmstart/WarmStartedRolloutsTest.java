package ai.attune.iapo.warmstart;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.optim.AdamWConfig;
import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.rollout.Rollout;
import ai.attune.iapo.rollout.RolloutChecks;
import ai.attune.iapo.rollout.RolloutConfig;
import ai.attune.iapo.rollout.RolloutRunner;
import ai.attune.iapo.rollout.TinyVl;
import ai.attune.iapo.rollout.ToolCallRecord;
import ai.attune.iapo.rollout.TrajectoryImage;
import ai.attune.iapo.rollout.TurnSampler;
import ai.attune.models.qwen2vl.chat.BlockKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The tiny student, warm-started on demonstrations of the synthetic chart train set, then sampled
 * with the rollout runner on the test set (G = 8, temperature 1).
 *
 * <p>Warm start: 300 AdamW steps of 4 demonstrations, learning rate 1e-2 decaying linearly to 0, on
 * the language model (the vision tower stays frozen: the format needs no new vision features, and
 * training it too made the step 1.7 times slower). Measured on three shuffling seeds, with four
 * rollouts per question on an AMD EPYC: 42 to 46 of 48 sampled rollouts write a parseable tool call
 * and 25 to 31 one that runs; with 200 steps 32 to 39 parse, and with a constant learning rate and
 * 300 steps 26 to 41. On an Intel Xeon, whose rounding trains another model from the same seed, the
 * same seeds gave 27, 40 and 32 of 48 parseable (14, 23 and 19 ran), so the test samples eight
 * rollouts per question: 60, 74 and 61 of 96 parse there, 37, 45 and 42 ran. It asserts half and a
 * quarter.
 */
@Tag("slow")
class WarmStartedRolloutsTest {
  static final int STEPS = 300;
  static TinyVl vl;
  static RolloutConfig config;
  static WarmStartResult warmStart;

  @BeforeAll
  static void warmStart() {
    vl = new TinyVl();
    config =
        RolloutConfig.builder()
            .optMaxTurns(3)
            .optMaxNewTokensPerTurn(80)
            .optOfferTools(false)
            .optSystemPrompt("Call a tool, then answer.")
            .build();
    vl.model.parameters().parameters().values().stream()
        .filter(p -> p.name().startsWith("visual."))
        .forEach(p -> p.setTrainable(false));
    List<Demonstrations.Demonstration> demos =
        Demonstrations.build(TinyVl.train(), vl.tokenizer, vl.processor, TinyVl.registry(), config);
    warmStart =
        SupervisedWarmStart.train(
            vl.model,
            demos.stream().map(Demonstrations.Demonstration::trajectory).toList(),
            new WarmStartConfig(STEPS, 4, AdamWConfig.builder(1e-2).optWeightDecay(0).build(), 1),
            runner().specialTokens().endOfText(),
            vl.root);
    System.out.printf(
        "warm start: %d steps of 4 in %.1f s, loss %.3f (first 10) -> %.3f" + " (last 10)%n",
        STEPS, warmStart.seconds(), warmStart.firstMean(10), warmStart.lastMean(10));
  }

  @AfterAll
  static void close() {
    vl.close();
  }

  static RolloutRunner runner() {
    return new RolloutRunner(vl.model, vl.tokenizer, vl.processor, TinyVl.registry(), config);
  }

  @Test
  void theLossFalls() {
    assertThat(warmStart.losses()).hasSize(STEPS);
    assertThat(warmStart.firstMean(10)).isGreaterThan(3.0);
    assertThat(warmStart.lastMean(10)).isLessThan(0.05 * warmStart.firstMean(10));
  }

  @Test
  void mostSampledRolloutsMakeAParseableToolCall() {
    RolloutRunner runner = runner();
    int rollouts = 0;
    int parsed = 0;
    int ran = 0;
    long start = System.nanoTime();
    for (VqaExample e : TinyVl.test()) {
      for (Rollout r : runner.run(e, 8, 7, vl.root)) {
        rollouts++;
        parsed += r.toolCalls().stream().anyMatch(ToolCallRecord::parsed) ? 1 : 0;
        ran += r.toolCalls().stream().anyMatch(ToolCallRecord::ok) ? 1 : 0;
      }
    }
    System.out.printf(
        "%d rollouts (12 examples x 8) in %.2f s: %d with a parseable tool call,"
            + " %d with one that ran%n",
        rollouts, (System.nanoTime() - start) / 1e9, parsed, ran);
    assertThat(parsed).isGreaterThanOrEqualTo(rollouts / 2);
    assertThat(ran).isGreaterThanOrEqualTo(rollouts / 4);
  }

  @Test
  void executedToolImagesAreFedBackWithExactBookkeeping() {
    List<Integer> imagesPerTurn = new ArrayList<>();
    long pad = vl.model.config().imageTokenId();
    TurnSampler recording =
        (model, ids, mask, cfg) -> {
          imagesPerTurn.add(RolloutChecks.imageRuns(ids.toLongArray(), pad));
          return TurnSampler.generator().sample(model, ids, mask, cfg);
        };
    RolloutRunner runner =
        new RolloutRunner(
            vl.model, vl.tokenizer, vl.processor, TinyVl.registry(), config, recording);
    List<Rollout> group = null;
    for (VqaExample e : TinyVl.test()) { // the first group where an image was fed back
      imagesPerTurn.clear();
      List<Rollout> rs = runner.run(e, 4, 7, vl.root);
      if (rs.stream().anyMatch(r -> r.toolCalls().stream().anyMatch(c -> c.imageIndex() >= 0))) {
        group = rs;
        break;
      }
    }
    assertThat(group).as("a group with a tool image fed back").isNotNull();
    int fedBack = 0;
    for (Rollout r : group) {
      for (ToolCallRecord c : r.toolCalls()) {
        if (c.imageIndex() >= 0) {
          fedBack++;
          assertThat(c.ok()).isTrue();
          TrajectoryImage image = r.images().get(c.imageIndex());
          assertThat(image.block()).isEqualTo(BlockKind.TOOL_OUTPUT);
          assertThat(image.tokenStart()).isGreaterThan(c.tokenEnd());
          assertThat(r.images().size()).isGreaterThan(1);
        }
      }
      RolloutChecks.policyMaskCoversExactlyTheGeneratedTokens(r);
      RolloutChecks.decodesToTheConversation(r, vl.tokenizer);
    }
    // Turn 2's batch held the input images plus every image fed back after turn 1.
    long active = group.stream().filter(r -> r.turnCount() >= 2).count();
    long fedAfterFirst =
        group.stream()
            .flatMap(r -> r.toolCalls().stream())
            .filter(c -> c.turn() == 0 && c.imageIndex() >= 0)
            .count();
    assertThat(imagesPerTurn.get(0)).isEqualTo(4);
    assertThat(imagesPerTurn.get(1)).isEqualTo((int) (active + fedAfterFirst));
    double diff =
        RolloutChecks.logprobsMatchTeacherForcing(
            vl.model, group, runner.specialTokens().endOfText(), vl.root);
    System.out.printf(
        "group of %s: %d tool images fed back, images per turn %s, max |old -"
            + " teacher-forced| logprob %.2e%n",
        group.get(0).exampleId(), fedBack, imagesPerTurn, diff);
    System.out.println(
        group.stream().filter(r -> r.images().size() > 1).findFirst().orElseThrow().text());
  }

  @Test
  void rolloutGroupsLeaveNoArraysBehind() {
    RolloutRunner runner = runner();
    runner.run(TinyVl.test().get(0), 2, 1, vl.root);
    int live = vl.root.getManagedArrays().size();
    for (int g = 0; g < 3; g++) {
      runner.run(TinyVl.test().get(g + 1), 4, g, vl.root);
      assertThat(vl.root.getManagedArrays().size())
          .as("live arrays after group %d", g)
          .isEqualTo(live);
    }
  }
}
