package ai.attune.spark.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.train.DataSection;
import ai.attune.iapo.train.EvalSetResult;
import ai.attune.iapo.train.Evaluator;
import ai.attune.iapo.train.QuestionResult;
import ai.attune.spark.train.SparkFixtures;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iapo eval} over Spark partitions gives one process's results: every set's metrics, every
 * question's answer, completion and tool calls, and the sample files, bit for bit.
 */
@Tag("e2e")
class SparkIapoEvaluationTest {
  @TempDir Path tmp;

  @BeforeAll
  static void oneThread() {
    Engines.pytorch();
    JniUtils.setNumThreads(1); // tiny tensors: a second thread only waits for a busy core
  }

  /**
   * 20 training charts (batches of 16 and 4) and the 12 test charts (one batch): 3 batches, so over
   * 2 partitions the first rolls out batch 0 of "train" and the second batch 1 of "train" and all
   * of "test". Sampled at temperature 1 (each question's seed must follow its index in its set, not
   * in its partition); 22 samples reach into the second set.
   */
  private static IapoEvalSpec spec() {
    Path charts = SparkFixtures.data("charts-synth");
    return new IapoEvalSpec(
        SparkFixtures.data("qwen2_5_vl-tiny").toString(),
        List.of(charts.resolve("train.jsonl").toString(), charts.resolve("test.jsonl").toString()),
        DataSection.Format.VQA,
        null,
        20,
        2,
        6,
        1.0,
        List.of("highlight", "zoom_in"),
        112,
        false,
        22,
        7,
        DevicePolicy.CPU,
        ComputeDtype.FLOAT32);
  }

  /** Every set's questions evaluated in this process, all batches in one call per set. */
  private static Map<String, List<QuestionResult>> oneProcessQuestions(IapoEvalSpec spec) {
    Map<String, List<VqaExample>> sets = spec.sets();
    return spec.withEvaluator(
        (e, root) -> {
          Map<String, List<QuestionResult>> out = new LinkedHashMap<>();
          int first = 0;
          for (Map.Entry<String, List<VqaExample>> s : sets.entrySet()) {
            int n = s.getValue().size();
            out.put(
                s.getKey(),
                e.evaluateBatches(
                    s.getKey(),
                    s.getValue(),
                    0,
                    Evaluator.batches(n),
                    spec.samples() - first,
                    first,
                    root));
            first += n;
          }
          return out;
        });
  }

  @Test
  void twoPartitionsGiveTheOneProcessMetricsAnswersAndSamples() throws IOException {
    IapoEvalSpec spec = spec();
    long t0 = System.nanoTime();
    Map<String, EvalSetResult> one = spec.evaluate(tmp.resolve("one"));
    long t1 = System.nanoTime();
    Map<String, List<QuestionResult>> spread =
        SparkIapoEvaluation.questions(SparkFixtures.shared(), spec, 2);
    Map<String, EvalSetResult> spreadMetrics =
        SparkIapoEvaluation.combine(spread, tmp.resolve("spread"));
    long t2 = System.nanoTime();
    System.out.printf(
        "one process %.1f s: %s%n2 partitions %.1f s: %s%n",
        (t1 - t0) / 1e9, one, (t2 - t1) / 1e9, spreadMetrics);

    assertThat(spreadMetrics).isEqualTo(one);
    assertThat(one.get("train").questions()).isEqualTo(20);
    assertThat(one.get("test").questions()).isEqualTo(12);
    assertThat(spread).isEqualTo(oneProcessQuestions(spec));
    assertThat(spread.get("train").get(19).exampleId())
        .isEqualTo(spec.sets().get("train").get(19).id());
    // the samples: 20 of "train" and 2 of "test", the same files with the same bytes
    List<String> files = files(tmp.resolve("one"));
    assertThat(files).contains("sample-0.md", "sample-21.md", "samples.json");
    assertThat(files).doesNotContain("sample-22.md");
    assertThat(files(tmp.resolve("spread"))).isEqualTo(files);
    for (String f : files) {
      assertThat(Files.readAllBytes(tmp.resolve("spread").resolve(f)))
          .as(f)
          .isEqualTo(Files.readAllBytes(tmp.resolve("one").resolve(f)));
    }
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return new ArrayList<>(s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }
}
