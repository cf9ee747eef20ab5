package ai.attune.spark.eval;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.rollout.RolloutConfig;
import ai.attune.iapo.train.DataSection;
import ai.attune.iapo.train.EvalSetResult;
import ai.attune.iapo.train.Evaluator;
import ai.attune.iapo.train.RewardsSection;
import ai.attune.iapo.train.RolloutSection;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.attune.models.qwen2vl.Qwen2VlImageProcessor;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDManager;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What {@code iapo eval} evaluates, as the one process and every Spark partition need it (paths
 * must be visible to the executors under the same names). It holds no Spark type: the command line
 * evaluates in one process through it too.
 *
 * @param model the Qwen2.5-VL checkpoint folder
 * @param data the evaluation files, each its own set
 * @param format how the files are written
 * @param imageRoot the folder ReFocus image paths are relative to; null: each file's folder
 * @param maxExamples questions per set; 0 = all
 * @param maxTurns assistant turns per rollout
 * @param maxNewTokens tokens per turn
 * @param temperature sampling temperature; 0 = greedy
 * @param tools the tools offered and executed
 * @param zoomShortSide zoom_in enlarges crops to this short side
 * @param offerTools render the tool definitions into the system turn
 * @param samples rollouts rendered for reading, the first over all sets in order (0: none)
 * @param seed the sampling seed
 * @param device the device policy
 * @param dtype the compute dtype
 */
public record IapoEvalSpec(
    String model,
    List<String> data,
    DataSection.Format format,
    String imageRoot,
    int maxExamples,
    int maxTurns,
    int maxNewTokens,
    double temperature,
    List<String> tools,
    int zoomShortSide,
    boolean offerTools,
    int samples,
    long seed,
    DevicePolicy device,
    ComputeDtype dtype)
    implements Serializable {

  public IapoEvalSpec {
    data = List.copyOf(data);
    if (data.isEmpty()) {
      throw new IllegalArgumentException("name at least one evaluation file");
    }
    tools = List.copyOf(tools);
    if (samples < 0) {
      throw new IllegalArgumentException("samples must be >= 0, got " + samples);
    }
    section(maxTurns, maxNewTokens, temperature, tools, zoomShortSide, offerTools); // validates
  }

  /** The evaluation rollout settings (one rollout per question). */
  public RolloutSection rollout() {
    return section(maxTurns, maxNewTokens, temperature, tools, zoomShortSide, offerTools);
  }

  private static RolloutSection section(
      int maxTurns,
      int maxNewTokens,
      double temperature,
      List<String> tools,
      int zoomShortSide,
      boolean offerTools) {
    return new RolloutSection(
        2,
        tools,
        zoomShortSide,
        temperature,
        RolloutConfig.builder()
            .optMaxTurns(maxTurns)
            .optMaxNewTokensPerTurn(maxNewTokens)
            .optTemperature(temperature)
            .optOfferTools(offerTools)
            .build());
  }

  /** The sets by name (the file name without {@code .jsonl}), in the order of {@link #data}. */
  public Map<String, List<VqaExample>> sets() {
    Map<String, List<VqaExample>> sets = new LinkedHashMap<>();
    Path root = imageRoot == null ? null : Path.of(imageRoot);
    for (String f : data) {
      Path file = Path.of(f);
      sets.put(
          EvalSetResult.nameOf(file), DataSection.load(file, format, root, false, maxExamples));
    }
    return sets;
  }

  /**
   * Loads the model, builds its evaluator (relaxed-accuracy judge) and applies {@code use} to it
   * and the manager the model lives in; everything is closed afterwards.
   */
  public <T> T withEvaluator(BiFunction<Evaluator, NDManager, T> use) {
    Path dir = Path.of(model);
    try (NDManager root = Engines.newManager(device);
        CausalLM lm = Models.load(dir, dtype, root);
        TextTokenizer tokenizer = TextTokenizer.load(dir)) {
      if (!(lm instanceof Qwen25VlForConditionalGeneration vl)) {
        throw new IllegalArgumentException(
            model
                + " holds a "
                + lm.info().modelType()
                + " model; iapo eval runs Qwen2.5-VL agents");
      }
      RolloutSection r = rollout();
      Evaluator evaluator =
          new Evaluator(
              vl,
              tokenizer,
              Qwen2VlImageProcessor.load(dir),
              r.registry(),
              r.evaluation(),
              new RewardsSection(1, 0, 0, 0.05, false).judge(),
              seed);
      return use.apply(evaluator, root);
    }
  }

  /** Evaluates in this process ({@link Evaluator#run}); samples go to {@code samplesDir}. */
  public Map<String, EvalSetResult> evaluate(Path samplesDir) {
    Map<String, List<VqaExample>> sets = sets();
    return withEvaluator((e, root) -> e.run(sets, samples, samplesDir, root));
  }
}
