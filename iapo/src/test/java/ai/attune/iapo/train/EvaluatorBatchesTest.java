package ai.attune.iapo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.rollout.RolloutConfig;
import ai.attune.iapo.rollout.TinyVl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Evaluator#run} in pieces of whole batches (what distributed evaluation does): the two
 * batches of an 18-question set evaluated apart and combined give {@code run}'s result and its
 * sample files, byte for byte. Sampled at temperature 1, so a question's seed must follow its index
 * in the set.
 */
@Tag("e2e")
class EvaluatorBatchesTest {
  @TempDir Path tmp;

  @Test
  void batchesEvaluatedApartAndCombinedGiveRunsResultAndSamples() throws IOException {
    List<VqaExample> set = TinyVl.train().subList(0, 18);
    RolloutSection r =
        new RolloutSection(
            2,
            List.of("highlight"),
            112,
            1.0,
            RolloutConfig.builder()
                .optMaxTurns(1)
                .optMaxNewTokensPerTurn(4)
                .optOfferTools(false)
                .build());
    try (TinyVl vl = new TinyVl()) {
      Evaluator e =
          new Evaluator(
              vl.model,
              vl.tokenizer,
              vl.processor,
              r.registry(),
              r.evaluation(),
              new RewardsSection(1, 0, 0, 0.05, false).judge(),
              5);
      EvalSetResult whole = e.run(Map.of("s", set), 17, tmp.resolve("whole"), vl.root).get("s");

      assertThat(Evaluator.batches(18)).isEqualTo(2);
      List<QuestionResult> apart =
          new ArrayList<>(e.evaluateBatches("s", set, 1, 2, 17, 0, vl.root));
      apart.addAll(0, e.evaluateBatches("s", set, 0, 1, 17, 0, vl.root));
      assertThat(apart).hasSize(18);
      assertThat(apart.get(16).exampleId()).isEqualTo(set.get(16).id());
      assertThat(apart.stream().filter(q -> q.sample() != null)).hasSize(17);
      assertThat(Evaluator.combine("s", apart)).isEqualTo(whole);
      assertThat(whole.questions()).isEqualTo(18);
      assertThat(whole.stats().policyTokens())
          .isEqualTo(apart.stream().mapToLong(QuestionResult::policyTokens).sum())
          .isPositive();

      Evaluator.writeSamples(
          tmp.resolve("apart"), apart.stream().map(QuestionResult::sample).limit(17).toList());
      List<String> files = files(tmp.resolve("whole"));
      assertThat(files).contains("sample-16.md", "sample-16-input-0.png", "samples.json");
      assertThat(files(tmp.resolve("apart"))).isEqualTo(files);
      for (String f : files) {
        assertThat(Files.readAllBytes(tmp.resolve("apart").resolve(f)))
            .as(f)
            .isEqualTo(Files.readAllBytes(tmp.resolve("whole").resolve(f)));
      }
      assertThatThrownBy(() -> e.evaluateBatches("s", set, 1, 3, 0, 0, vl.root))
          .hasMessageContaining("s has 2 batches of 16 questions; asked for batches [1, 3)");
    }
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
