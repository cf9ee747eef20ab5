package ai.attune.iapo.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.tools.ToolRegistry;
import ai.attune.models.qwen2vl.chat.BlockKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner on the untrained tiny student: scripted turns, sampled turns, bad inputs. */
@Tag("engine")
class RolloutRunnerTest {
  static TinyVl vl;
  static VqaExample example;

  @TempDir Path tmp;

  @BeforeAll
  static void load() {
    vl = new TinyVl();
    example = TinyVl.train().get(0); // "What is the value of 2014?", answer 17
  }

  @AfterAll
  static void close() {
    vl.close();
  }

  static ToolRegistry tools() {
    return TinyVl.registry().register(new TestTools.Speck());
  }

  static String call(String json) {
    return "<tool_call>\n" + json + "\n</tool_call>";
  }

  @Test
  void scriptedTurnsFeedToolImagesIntoTheNextBatchAndKeepExactLogprobs() {
    String highlight = call("{\"name\": \"highlight\", \"arguments\": {\"columns\": [\"2014\"]}}");
    String zoom = call("{\"name\": \"zoom_in\", \"arguments\": {\"bbox\": [139, 6, 179, 168]}}");
    String speck = call("{\"name\": \"speck\", \"arguments\": {}}");
    String answer = "FINAL ANSWER: 17<|im_end|>";
    ScriptedSampler sampler =
        new ScriptedSampler(
            vl.tokenizer,
            List.of(List.of(highlight, zoom), List.of(answer, speck), List.of(answer)));
    RolloutRunner runner =
        new RolloutRunner(
            vl.model, vl.tokenizer, vl.processor, tools(), TinyVl.config(3, 64), sampler);
    List<Rollout> rs = runner.run(example, 2, 5, vl.root);

    // Turn 2's batch held each row's input plus its tool image; turn 3 only row 1's two.
    assertThat(sampler.imagesPerCall).containsExactly(2, 4, 2);
    Rollout a = rs.get(0);
    Rollout b = rs.get(1);
    assertThat(a.end()).isEqualTo(RolloutEnd.FINAL_ANSWER);
    assertThat(a.turnCount()).isEqualTo(2);
    assertThat(a.images())
        .extracting(TrajectoryImage::block)
        .containsExactly(BlockKind.IMAGE, BlockKind.TOOL_OUTPUT);
    assertThat(b.turnCount()).isEqualTo(3);
    assertThat(b.toolCalls()).extracting(ToolCallRecord::ok).containsExactly(true, false);
    // The zoomed crop has another size than the chart: 64 image tokens against 48.
    assertThat(b.images()).extracting(i -> i.image().numImageTokens()).containsExactly(48, 64);
    assertThat(b.view().toolStats().runFailures()).isEqualTo(1);
    assertThat(b.finalAnswer()).isEqualTo("17");
    for (Rollout r : rs) {
      RolloutChecks.policyMaskCoversExactlyTheGeneratedTokens(r);
      RolloutChecks.decodesToTheConversation(r, vl.tokenizer);
    }
    double diff =
        RolloutChecks.logprobsMatchTeacherForcing(
            vl.model, rs, runner.specialTokens().endOfText(), vl.root);
    System.out.printf("scripted rollouts: max |old - teacher-forced| logprob %.2e%n", diff);
  }

  @Test
  void anUntrainedModelSamplesRolloutsThatEndWithoutToolCallsOrAtTheLimit() {
    RolloutRunner runner =
        new RolloutRunner(vl.model, vl.tokenizer, vl.processor, tools(), TinyVl.config(2, 24));
    long start = System.nanoTime();
    List<Rollout> rs = runner.run(example, 4, 11, vl.root);
    System.out.printf(
        "untrained G=4: %.2f s, ends %s%n",
        (System.nanoTime() - start) / 1e9, rs.stream().map(Rollout::end).toList());
    for (Rollout r : rs) {
      assertThat(r.end())
          .isIn(
              EnumSet.of(RolloutEnd.NO_TOOL_CALL, RolloutEnd.TURN_LIMIT, RolloutEnd.INVALID_TOKEN));
      assertThat(r.turnCount()).isBetween(1, 2);
      RolloutChecks.policyMaskCoversExactlyTheGeneratedTokens(r);
      RolloutChecks.decodesToTheConversation(r, vl.tokenizer);
    }
    double diff =
        RolloutChecks.logprobsMatchTeacherForcing(
            vl.model, rs, runner.specialTokens().endOfText(), vl.root);
    System.out.printf("sampled rollouts: max |old - teacher-forced| logprob %.2e%n", diff);
    // The same seed gives the same rollouts; another seed others.
    List<Rollout> again = runner.run(example, 4, 11, vl.root);
    List<Rollout> other = runner.run(example, 4, 12, vl.root);
    for (int i = 0; i < 4; i++) {
      assertThat(again.get(i).ids()).containsExactly(rs.get(i).ids());
    }
    assertThat(other.get(0).ids()).isNotEqualTo(rs.get(0).ids());
  }

  @Test
  void anUnreadableImageFailsBeforeGenerationAndTheRunnerGoesOn() throws IOException {
    RolloutRunner runner =
        new RolloutRunner(vl.model, vl.tokenizer, vl.processor, tools(), TinyVl.config(1, 4));
    Path missing = tmp.resolve("missing.png");
    Path garbage = Files.write(tmp.resolve("garbage.png"), new byte[] {1, 2, 3, 4});
    int live = vl.root.getManagedArrays().size();
    for (Path image : List.of(missing, garbage)) {
      VqaExample bad =
          new VqaExample("bad", List.of(image), "Q?", "A", example.boxes(), null, "test:1");
      assertThatThrownBy(() -> runner.run(bad, 2, 1, vl.root))
          .isInstanceOf(RolloutInputException.class)
          .hasMessageStartingWith("example bad (test:1): cannot read its image: " + image);
    }
    assertThat(vl.root.getManagedArrays().size()).isEqualTo(live);
    assertThat(runner.run(example, 2, 1, vl.root)).hasSize(2);
  }

  @Test
  void offeredToolsAreRenderedIntoTheSystemTurn() {
    RolloutConfig config = RolloutConfig.builder().optMaxTurns(1).optMaxNewTokensPerTurn(2).build();
    RolloutRunner runner = new RolloutRunner(vl.model, vl.tokenizer, vl.processor, tools(), config);
    Rollout r = runner.run(example, 1, 3, vl.root).get(0);
    long toolTokens = Arrays.stream(r.blocks()).filter(k -> k == BlockKind.TOOLS).count();
    assertThat(toolTokens).isGreaterThan(500);
    assertThat(r.fullText())
        .contains("<tools>\n{\"type\": \"function\", \"function\": {\"name\":" + " \"highlight\"");
    assertThat(r.fullText())
        .as("what the tools' arguments may name, after the question")
        .containsPattern("What is the value of 2014\\?\n\nImage 0 is \\d+x\\d+ pixels")
        .contains("\nNamed columns: 2011, 2012, 2013, 2014, 2015.");
    System.out.printf(
        "prompt with highlight, zoom_in and speck offered: %d tokens, %d of them"
            + " tool definitions%n",
        r.promptLength(), toolTokens);
  }

  @Test
  void rolloutGroupsLeaveNoArraysBehind() {
    RolloutRunner runner =
        new RolloutRunner(vl.model, vl.tokenizer, vl.processor, tools(), TinyVl.config(2, 12));
    runner.run(example, 2, 0, vl.root); // warms up anything created once
    int live = vl.root.getManagedArrays().size();
    for (int g = 0; g < 3; g++) {
      runner.run(TinyVl.train().get(g + 1), 3, g, vl.root);
      assertThat(vl.root.getManagedArrays().size())
          .as("live arrays after group %d", g)
          .isEqualTo(live);
    }
  }
}
