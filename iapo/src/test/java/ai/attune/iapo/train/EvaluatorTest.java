package ai.attune.iapo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.config.Mappers;
import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.reward.Judge;
import ai.attune.iapo.rollout.RolloutConfig;
import ai.attune.iapo.rollout.TinyVl;
import ai.attune.models.Models;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.attune.models.qwen2vl.Qwen2VlImageProcessor;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluation of the warm-started tiny student on two small sets (questions it was warm-started on,
 * and held-out ones): per set, the accuracy, tool-call rate and tool success rate agree with the
 * rollouts it wrote out (every rollout is a sample here).
 */
@Tag("slow")
class EvaluatorTest {
  @TempDir Path tmp;

  @Test
  void eachSetReportsAccuracyToolCallRateAndToolSuccessRate() throws Exception {
    Path model = TinyRuns.warmStudent();
    Map<String, List<VqaExample>> sets = new LinkedHashMap<>();
    sets.put("seen", TinyVl.train().subList(0, 4));
    sets.put("held_out", TinyVl.test().subList(0, 4));
    RolloutSection rollout =
        new RolloutSection(
            2,
            List.of("highlight", "zoom_in"),
            112,
            0,
            RolloutConfig.builder()
                .optMaxTurns(2)
                .optMaxNewTokensPerTurn(40)
                .optTemperature(0)
                .optOfferTools(false)
                .build());
    Map<String, EvalSetResult> results;
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        TextTokenizer tokenizer = TextTokenizer.load(model)) {
      var vl = (Qwen25VlForConditionalGeneration) Models.load(model, ComputeDtype.FLOAT32, root);
      Evaluator e =
          new Evaluator(
              vl,
              tokenizer,
              Qwen2VlImageProcessor.load(model),
              rollout.registry(),
              rollout.evaluation(),
              new RewardsSection(1, 0, 0, 0.05, false).judge(),
              0);
      results = e.run(sets, 8, tmp.resolve("samples"), root);
      int live = root.getManagedArrays().size();
      e.run(sets, 0, null, root);
      assertThat(root.getManagedArrays()).hasSize(live);
    }
    assertThat(results).containsOnlyKeys("seen", "held_out");
    JsonNode samples = Mappers.json().readTree(tmp.resolve("samples/samples.json").toFile());
    assertThat(samples).hasSize(8);
    int i = 0;
    for (EvalSetResult r : results.values()) {
      System.out.println(r.metrics());
      assertThat(r.questions()).isEqualTo(4);
      double correct = 0;
      int withCall = 0;
      int calls = 0;
      int ok = 0;
      for (int k = 0; k < 4; k++, i++) {
        JsonNode s = samples.get(i);
        String answer = s.get("final_answer").isNull() ? null : s.get("final_answer").asText();
        correct +=
            answer == null
                ? 0
                : Judge.relaxed(0.05)
                    .judge(s.get("question").asText(), answer, s.get("gold_answer").asText());
        withCall += s.get("tool_calls").isEmpty() ? 0 : 1;
        for (JsonNode c : s.get("tool_calls")) {
          calls++;
          ok += c.get("ok").asBoolean() ? 1 : 0;
        }
      }
      assertThat(r.accuracy()).isCloseTo(correct / 4, within(1e-12));
      assertThat(r.stats().toolCallRate()).isCloseTo(withCall / 4.0, within(1e-12));
      assertThat(r.stats().toolSuccessRate()).isCloseTo((double) ok / calls, within(1e-12));
    }
    assertThat(results.get("seen").stats().toolCallRate()).isEqualTo(1.0);
  }
}
