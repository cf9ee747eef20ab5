package ai.attune.grzo.compare;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.config.ConfigYaml;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grzo compare}: the scoring of a run from its metrics, the table's medians, and a tiny grid
 * run end to end on opt-tiny (it asserts what a comparison writes, not who wins).
 */
@Tag("pure")
class OptimizerComparisonTest {
  @TempDir Path tmp;

  static Path data(String name) {
    return Paths.get(System.getProperty("attune.testData", "../src-test-data"))
        .resolve(name)
        .toAbsolutePath()
        .normalize();
  }

  CompareConfig config(List<Double> lrs, List<Long> seeds, int steps) throws IOException {
    Path base = tmp.resolve("base.yaml");
    Files.writeString(
        base,
        """
        model: {dir: %s, device: cpu}
        task: {name: sst2, train: %s, dev: %s, test: null, train_examples: 0, dev_examples: 16,
               max_length: 32}
        optimizer: {lr: 1.0e-3, sigma: 1.0e-2}
        train: {batch_size: 4, log_every: 1000}
        output: {dir: unused}
        """
            .formatted(
                data("opt-tiny"),
                data("tasks/sst2-synth/train.jsonl"),
                data("tasks/sst2-synth/dev.jsonl")));
    Path file = tmp.resolve("compare.yaml");
    Files.writeString(
        file,
        """
        base: base.yaml
        optimizers: [grzo, mezo]
        lrs: %s
        seeds: %s
        steps: %d
        eval_every: 2
        target_loss: 0.5
        target_dev_accuracy: 0.99
        output: out
        overrides: {optimizer: {mezo_params: grzo}}
        """
            .formatted(lrs, seeds, steps));
    return CompareConfig.read(file);
  }

  static ObjectNode line(String json) throws IOException {
    return (ObjectNode) ConfigYaml.MAPPER.readTree(json);
  }

  @Test
  void aRunIsScoredAtTheFirstStepThatReachesEachTarget() throws IOException {
    CompareConfig c = config(List.of(1e-3), List.of(1L), 30);
    List<ObjectNode> lines = new ArrayList<>();
    lines.add(line("{step: 0, event: eval, split: dev, value: 0.4}"));
    lines.add(line("{step: 5, event: train, loss_avg: 0.3}")); // before the window is full
    lines.add(line("{step: 12, event: train, loss_avg: 0.49}"));
    lines.add(line("{step: 20, event: eval, split: dev, value: 0.995}"));
    lines.add(line("{step: 30, event: train, loss_avg: 0.55}"));
    lines.add(line("{step: 30, event: eval, split: dev, value: 0.9}"));
    RunOutcome o = OptimizerComparison.score(c, "grzo", 1e-3, 1, lines);
    assertThat(o).isEqualTo(new RunOutcome("grzo", 1e-3, 1, 0.4, 12, 20, 0.55, 0.9, 0.995));
  }

  @Test
  void mediansCountUnreachedRunsAsNever() {
    assertThat(ComparisonTable.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(ComparisonTable.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
    assertThat(
            ComparisonTable.median(
                new double[] {1, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY}))
        .isInfinite();
  }

  @Test
  void aTinyGridRunsEveryOptimizerRateAndSeedAndPrintsTheTable() throws IOException {
    CompareConfig c = config(List.of(1e-3), List.of(1L, 2L), 4);
    List<RunOutcome> outcomes = OptimizerComparison.run(c);
    assertThat(outcomes)
        .hasSize(4)
        .extracting(RunOutcome::optimizer)
        .containsExactly("grzo", "grzo", "mezo", "mezo");
    assertThat(outcomes)
        .allSatisfy(
            o -> {
              assertThat(o.finalLossAverage()).isBetween(0.0, 5.0);
              assertThat(o.finalDevAccuracy()).isBetween(0.0, 1.0);
            });
    String table = Files.readString(tmp.resolve("out/comparison.md"));
    System.out.print(table);
    assertThat(table)
        .contains("Learning-rate grid (both optimizers): [0.001]; seeds [1, 2]")
        .contains("| grzo | 0.00100 | ")
        .contains("| mezo | 0.00100 | ")
        .contains("Tuned grzo: lr 0.00100")
        .contains("Tuned mezo: lr 0.00100");
    assertThat(Files.readAllLines(tmp.resolve("out/runs.jsonl"))).hasSize(4);
  }
}
