package ai.attune.iapo.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.Engines;
import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.attune.iapo.reward.RolloutView;
import ai.attune.iapo.tools.Tool;
import ai.attune.iapo.train.IapoTrainer;
import ai.attune.iapo.train.StepResult;
import ai.attune.models.qwen2vl.chat.ToolCall;
import ai.attune.testsupport.DocSnippets;
import ai.attune.testsupport.FixturePaths;
import ai.attune.testsupport.Weights;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IAPO example of {@code docs/api.md}, run on the tiny Qwen2.5-VL fixture and the synthetic
 * charts: a tool of the user's ({@code list_categories}, a Java lambda over the chart's named
 * boxes) taught by a short warm start whose demonstrations call it, a reward of the user's (1 when
 * a rollout called that tool), two IAPO steps against the tiny teacher, the student saved as an HF
 * folder. The region between the snippet markers is the document's code block ({@link
 * #theDocumentShowsThisCode}).
 */
@Tag("e2e")
class IapoApiExampleTest {
  @TempDir Path tmp;

  // snippet:iapo-start
  static IapoTrainer.TrainResult train(
      Path student, Path teacher, Path charts, Path runDir, Path savedDir, List<StepResult> steps) {
    Tool listCategories =
        JavaTool.of(
            "list_categories",
            "Lists the names of the chart's bars.",
            "{\"type\": \"object\", \"properties\": {}}",
            (arguments, context) ->
                "Categories: " + String.join(", ", context.boxes().columns().keySet()));
    try (IapoTraining run =
        IapoTraining.builder()
            .setStudent(student)
            .setTrainData(charts.resolve("train.jsonl"))
            .setOutputDir(runDir)
            .setLearningRate(1e-4)
            .optTeacher(teacher)
            .optBuiltinTools() // no image tools: the custom one only
            .optTool(listCategories)
            .optReward("listed", 0.5, rollout -> calls(rollout, "list_categories") ? 1 : 0)
            .optWarmStart(150, 4, 1e-2) // demonstrations that call list_categories, then answer
            .optDemonstrationCalls(
                (example, width, height) ->
                    new ToolCall("list_categories", JsonNodeFactory.instance.objectNode()))
            .optOfferTools(false)
            .optMaxTurns(2)
            .optMaxNewTokens(40)
            .optTemperature(0.7)
            .optAttributionSteps(2)
            .optSteps(2)
            .optListener(steps::add)
            .build()) {
      IapoTrainer.TrainResult result = run.train();
      run.save(savedDir);
      return result;
    }
  }

  static boolean calls(RolloutView rollout, String tool) {
    return rollout.turns().stream()
        .flatMap(turn -> turn.calls().stream())
        .anyMatch(call -> call.name().equals(tool));
  }

  // snippet:iapo-end

  @Test
  void aCustomToolAndRewardTrainTheTinyStudent() {
    Engines.pytorch();
    JniUtils.setNumThreads(1); // as the other tiny IAPO runs: rollouts stay reproducible
    Path student = FixturePaths.of("qwen2_5_vl-tiny");
    Path saved = tmp.resolve("student");
    List<StepResult> steps = new ArrayList<>();
    IapoTrainer.TrainResult r =
        train(
            student,
            FixturePaths.of("qwen2_5_vl-tiny-teacher"),
            FixturePaths.of("charts-synth"),
            tmp.resolve("run"),
            saved,
            steps);
    for (StepResult s : steps) {
      System.out.println("step " + s.step() + ": " + s.metrics());
    }
    assertThat(r.lastStep()).isEqualTo(2);
    assertThat(steps).hasSize(2);
    // the custom reward is scored and logged under its name; it is > 0 only when a rollout's parsed
    // tool call names list_categories, and list_categories is the only tool, so a successful call
    // ran the Java function (measured on an Intel Xeon: 8 of 8 rollouts per step, tool success 1.0;
    // 60 warm-start steps gave 1 of 8 on an AMD EPYC and 0 of 8 on the Xeon, hence 150)
    double listed = 0;
    double succeeded = 0;
    for (StepResult s : steps) {
      assertThat(s.metrics()).containsKey("rewards/listed/mean");
      listed += s.metric("rewards/listed/mean");
      succeeded += s.metric("tool_success_rate");
    }
    assertThat(listed).isGreaterThan(0);
    assertThat(succeeded).isGreaterThan(0);
    assertThat(maxAbsDifference(student, saved)).isGreaterThan(0);
    assertThat(maxAbsDifference(tmp.resolve("run/final"), saved)).isZero();
  }

  /** The largest |a - b| over the weights of {@code b}, which {@code a} must all hold. */
  private static double maxAbsDifference(Path a, Path b) {
    return Weights.maxAbsDiff(
        SafetensorsCheckpoint.readFloats(a), SafetensorsCheckpoint.readFloats(b));
  }

  @Test
  void theDocumentShowsThisCode() {
    Path doc = FixturePaths.projectRoot().resolve("docs/api.md");
    Path source = Path.of("src/test/java/ai/attune/iapo/api/IapoApiExampleTest.java");
    assertThat(DocSnippets.block(doc, "iapo")).isEqualTo(DocSnippets.region(source, "iapo"));
  }
}
