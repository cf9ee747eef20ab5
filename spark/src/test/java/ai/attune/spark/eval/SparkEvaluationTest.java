package ai.attune.spark.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.grzo.tasks.EvalMetrics;
import ai.attune.grzo.tasks.MezoTask;
import ai.attune.grzo.train.TaskSetup;
import ai.attune.models.LanguageModel;
import ai.attune.models.Models;
import ai.attune.models.text.TextTokenizer;
import ai.attune.spark.train.SparkFixtures;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code grzo eval} over Spark partitions gives the one-process metrics, bit for bit. */
@Tag("e2e")
class SparkEvaluationTest {

  private static EvalMetrics oneProcess(EvalSpec spec) {
    Path model = Path.of(spec.model());
    try (NDManager root = Engines.newManager(spec.device());
        LanguageModel lm = Models.loadAny(model, spec.dtype(), root);
        TextTokenizer tokenizer = TextTokenizer.load(model)) {
      return TaskSetup.of(
              lm,
              tokenizer,
              MezoTask.fromName(spec.task()),
              spec.bos(),
              spec.maxLength(),
              spec.batchSize())
          .evaluator()
          .evaluate(SparkEvaluation.examples(spec), root);
    }
  }

  @Test
  void partitionsOfWholeBatchesGiveTheOneProcessMetrics() {
    // 10 examples in batches of 3: 4 batches, the last one short, over 2 and 3 partitions
    EvalSpec spec =
        new EvalSpec(
            SparkFixtures.data("opt-tiny").toString(),
            "sst2",
            SparkFixtures.data("tasks/sst2-synth/dev.jsonl").toString(),
            10,
            42,
            32,
            true,
            3,
            DevicePolicy.CPU,
            ComputeDtype.FLOAT32);
    EvalMetrics one = oneProcess(spec);
    for (int partitions : new int[] {2, 3}) {
      EvalMetrics spread = SparkEvaluation.evaluate(SparkFixtures.shared(), spec, partitions);
      System.out.printf("%d partitions: %s, one process: %s%n", partitions, spread, one);
      assertThat(spread).isEqualTo(one);
      assertThat(spread.n()).isEqualTo(10);
    }
  }
}
