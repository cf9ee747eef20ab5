package ai.attune.grzo.compare;

import ai.attune.core.config.ConfigYaml;
import ai.attune.core.config.Mappers;
import ai.attune.core.run.AtomicFiles;
import ai.attune.core.run.MetricsWriter;
import ai.attune.core.run.ProgressLog;
import ai.attune.grzo.train.GrzoTrainConfig;
import ai.attune.grzo.train.GrzoTrainer;
import ai.attune.grzo.train.TrainResult;
import ai.attune.grzo.train.TrainerHooks;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a {@link CompareConfig}: one training run per optimizer, learning rate and seed, each from
 * the base config with the comparison's overrides, the same steps, dev evaluations and targets;
 * then scores every run ({@link RunOutcome}) and writes {@code runs.jsonl} and the table ({@link
 * ComparisonTable}) to the output folder.
 *
 * <p>Every run trains from scratch in its own folder ({@code <optimizer>-lr<lr>-seed<seed>}), so a
 * comparison can be rerun and gives the same numbers (the runs are deterministic per seed).
 */
public final class OptimizerComparison {
  private OptimizerComparison() {}

  /** Runs every combination; returns the outcomes in grid order. */
  public static List<RunOutcome> run(CompareConfig c) throws IOException {
    GrzoTrainConfig base = GrzoTrainConfig.read(Path.of(c.base()));
    int total = c.optimizers().size() * c.lrs().size() * c.seeds().size();
    ProgressLog progress = new ProgressLog("run", total, 1);
    List<RunOutcome> out = new ArrayList<>(total);
    for (String optimizer : c.optimizers()) {
      for (double lr : c.lrs()) {
        for (long seed : c.seeds()) {
          out.add(runOne(c, base, optimizer, lr, seed));
          progress.update(out.size(), Map.of("optimizer", optimizer, "lr", lr, "seed", seed));
        }
      }
    }
    progress.finish();
    writeResults(c, out);
    return out;
  }

  private static RunOutcome runOne(
      CompareConfig c, GrzoTrainConfig base, String optimizer, double lr, long seed)
      throws IOException {
    Path dir =
        Path.of(c.output(), String.format(Locale.ROOT, "%s-lr%.3g-seed%d", optimizer, lr, seed));
    ObjectNode over = c.overrides().deepCopy();
    over.withObject("/optimizer").put("name", optimizer).put("lr", lr);
    over.withObject("/train")
        .put("steps", c.steps())
        .put("seed", seed)
        .put("eval_every", c.evalEvery())
        .put("checkpoint_every", 0)
        .putNull("target_loss");
    over.withObject("/output").put("dir", dir.toString()).put("plot", false);
    GrzoTrainConfig config =
        GrzoTrainConfig.parse(
            merged(base.toYaml(), over), c.base() + " with the comparison's overrides");
    TrainResult r =
        new GrzoTrainer(config, "compare", TrainerHooks.NONE).run(GrzoTrainer.Start.FRESH);
    return score(c, optimizer, lr, seed, MetricsWriter.readAll(r.files().metrics()));
  }

  private static String merged(String baseYaml, ObjectNode over) throws JsonProcessingException {
    ObjectNode tree = (ObjectNode) ConfigYaml.MAPPER.readTree(baseYaml);
    return ConfigYaml.MAPPER.writeValueAsString(ConfigYaml.merge(tree, over));
  }

  /** Scores one run from the lines of its {@code metrics.jsonl}. */
  static RunOutcome score(
      CompareConfig c, String optimizer, double lr, long seed, List<ObjectNode> lines) {
    long lossStep = -1;
    long accStep = -1;
    double start = Double.NaN;
    double lastLoss = Double.NaN;
    double lastAcc = Double.NaN;
    double best = Double.NaN;
    for (ObjectNode l : lines) {
      long step = l.get("step").asLong();
      String event = l.path("event").asText();
      if (event.equals("train")) {
        lastLoss = l.get("loss_avg").asDouble();
        if (lossStep < 0 && step >= GrzoTrainer.LOSS_WINDOW && lastLoss <= c.targetLoss()) {
          lossStep = step;
        }
      } else if (event.equals("eval") && l.path("split").asText().equals("dev")) {
        lastAcc = l.get("value").asDouble();
        start = Double.isNaN(start) ? lastAcc : start;
        best = Double.isNaN(best) ? lastAcc : Math.max(best, lastAcc);
        if (accStep < 0 && step > 0 && lastAcc >= c.targetDevAccuracy()) {
          accStep = step;
        }
      }
    }
    return new RunOutcome(optimizer, lr, seed, start, lossStep, accStep, lastLoss, lastAcc, best);
  }

  private static void writeResults(CompareConfig c, List<RunOutcome> outcomes) throws IOException {
    StringBuilder jsonl = new StringBuilder();
    for (RunOutcome o : outcomes) {
      jsonl
          .append(
              Mappers.json()
                  .writer()
                  .without(SerializationFeature.INDENT_OUTPUT)
                  .writeValueAsString(o))
          .append('\n');
    }
    Path dir = Path.of(c.output());
    AtomicFiles.write(dir.resolve("runs.jsonl"), jsonl.toString().getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(
        dir.resolve("comparison.md"),
        ComparisonTable.format(c, outcomes).getBytes(StandardCharsets.UTF_8));
  }
}
