package ai.attune.iapo.train;

import ai.attune.core.config.Mappers;
import ai.attune.core.noise.SeededNoise;
import ai.attune.core.optim.AdamWConfig;
import ai.attune.core.run.RunFolder;
import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.rollout.SpecialTokens;
import ai.attune.iapo.tools.ToolRegistry;
import ai.attune.iapo.warmstart.Demonstrations;
import ai.attune.iapo.warmstart.SupervisedWarmStart;
import ai.attune.iapo.warmstart.WarmStartConfig;
import ai.attune.iapo.warmstart.WarmStartResult;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/**
 * {@code train.warm_start}: demonstrations built from the training questions exactly as rollouts
 * are (same prompt, same tools), then supervised steps on them ({@link SupervisedWarmStart}), with
 * AdamW at the warm start's learning rate and {@code optim}'s other settings; a summary goes to
 * {@code warm_start.json}.
 */
final class WarmStart {
  static final long ORDER = 0x5741524dL;

  private WarmStart() {}

  /** Runs the configured warm start; returns its losses (empty when none is configured). */
  static double[] run(
      IapoTrainConfig config,
      TrainingModels models,
      List<VqaExample> train,
      RunFolder files,
      NDManager root,
      ToolRegistry tools,
      Demonstrations.CallChooser calls)
      throws IOException {
    WarmStartSection ws = config.train().warmStart();
    if (ws == null) {
      return new double[0];
    }
    List<VqaExample> examples =
        ws.maxExamples() == 0 || ws.maxExamples() >= train.size()
            ? train
            : train.subList(0, ws.maxExamples());
    List<Demonstrations.Demonstration> demos =
        Demonstrations.build(
            examples,
            models.tokenizer(),
            models.processor(),
            tools,
            config.rollout().sampling(),
            calls);
    AdamWConfig adam = config.optim().withLr(ws.lr());
    WarmStartConfig wc =
        new WarmStartConfig(
            ws.steps(),
            ws.batchSize(),
            adam,
            SeededNoise.derive(config.train().seed(), ORDER),
            ws.schedule(),
            ws.warmupSteps());
    WarmStartResult r =
        SupervisedWarmStart.train(
            models.student(),
            demos.stream().map(Demonstrations.Demonstration::trajectory).toList(),
            wc,
            SpecialTokens.of(models.tokenizer()).endOfText(),
            root);
    ObjectNode summary = Mappers.json().createObjectNode();
    summary.put("steps", ws.steps());
    summary.put("demonstrations", demos.size());
    summary.put("first_loss", r.losses()[0]);
    summary.put("last_loss", r.losses()[r.losses().length - 1]);
    summary.put("seconds", r.seconds());
    var losses = summary.putArray("losses");
    for (double l : r.losses()) {
      losses.add(l);
    }
    Mappers.json().writeValue(files.file(IapoTrainer.WARM_START).toFile(), summary);
    return r.losses();
  }
}
