package ai.attune.examples;

import ai.attune.core.device.Engines;
import ai.attune.iapo.data.VqaExample;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code attune iapo eval}: accuracy, tool-call rate and tool success rate of a Qwen2.5-VL model on
 * one or more chart/table VQA sets, one rollout per question, printed as a table.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Evaluates a Qwen2.5-VL model as a tool-using agent: per set, accuracy (relaxed"
            + " match), the fraction of rollouts that called a tool and the fraction of calls that"
            + " ran.")
final class IapoEvalCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Qwen2.5-VL checkpoint folder")
  Path model;

  @Option(
      names = "--data",
      required = true,
      arity = "1..*",
      description = "evaluation files (each reported as its own set)")
  List<Path> data = new ArrayList<>();

  @Option(
      names = "--format",
      defaultValue = "vqa",
      description =
          "vqa (JSONL: image, question, answer, boxes) or refocus (ReFocus' *_wbb.json"
              + " test sets). Default: ${DEFAULT-VALUE}")
  String format;

  @Option(
      names = "--image-root",
      description = "folder ReFocus image paths are relative to (default: each file's folder)")
  Path imageRoot;

  @Option(
      names = "--max-examples",
      defaultValue = "0",
      description = "questions per set; 0 = all. Default: ${DEFAULT-VALUE}")
  int maxExamples;

  @Option(
      names = "--max-turns",
      defaultValue = "3",
      description = "assistant turns per rollout. Default: ${DEFAULT-VALUE}")
  int maxTurns;

  @Option(
      names = "--max-new-tokens",
      defaultValue = "256",
      description = "tokens per turn. Default: ${DEFAULT-VALUE}")
  int maxNewTokens;

  @Option(
      names = "--temperature",
      defaultValue = "0",
      description = "0 = greedy. Default: ${DEFAULT-VALUE}")
  double temperature;

  @Option(
      names = "--tools",
      split = ",",
      defaultValue = "crop,zoom_in,highlight,mask,draw_box",
      description = "tools offered and executed. Default: ${DEFAULT-VALUE}")
  List<String> tools = new ArrayList<>();

  @Option(
      names = "--zoom-short-side",
      defaultValue = "224",
      description = "zoom_in enlarges crops to this short side. Default: ${DEFAULT-VALUE}")
  int zoomShortSide;

  @Option(
      names = "--no-tool-definitions",
      description = "leave the tool definitions out of the system turn")
  boolean noToolDefinitions;

  @Option(names = "--samples", description = "folder for the first rollouts, to read")
  Path samples;

  @Option(
      names = "--sample-count",
      defaultValue = "8",
      description = "rollouts written to --samples. Default: ${DEFAULT-VALUE}")
  int sampleCount;

  @Option(names = "--seed", defaultValue = "0", description = "sampling seed (temperature > 0)")
  long seed;

  @Mixin ComputeOptions compute;

  @Override
  public Integer call() {
    Map<String, EvalSetResult> results = run();
    System.out.print(table(results.values()));
    return 0;
  }

  /** Evaluates and returns the results per set. */
  Map<String, EvalSetResult> run() {
    RolloutSection rollout =
        new RolloutSection(
            2,
            maxTurns,
            maxNewTokens,
            temperature,
            0,
            1.0,
            !noToolDefinitions,
            null,
            tools,
            zoomShortSide,
            temperature);
    Map<String, List<VqaExample>> sets = new LinkedHashMap<>();
    for (Path f : data) {
      sets.put(
          EvalSetResult.nameOf(f), DataSection.load(f, format(), imageRoot, false, maxExamples));
    }
    try (NDManager root = Engines.newManager(compute.devicePolicy());
        CausalLM lm = Models.load(model, compute.computeDtype(), root);
        TextTokenizer tokenizer = TextTokenizer.load(model)) {
      if (!(lm instanceof Qwen25VlForConditionalGeneration vl)) {
        throw new IllegalArgumentException(
            model
                + " holds a "
                + lm.info().modelType()
                + " model; iapo eval runs Qwen2.5-VL agents");
      }
      Evaluator evaluator =
          new Evaluator(
              vl,
              tokenizer,
              Qwen2VlImageProcessor.load(model),
              rollout.registry(),
              rollout.toConfig(true),
              defaultJudge().judge(),
              seed);
      return evaluator.run(sets, samples == null ? 0 : sampleCount, samples, root);
    }
  }

  private DataSection.Format format() {
    try {
      return DataSection.Format.valueOf(format.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--format: unknown format '" + format + "', use vqa or refocus", e);
    }
  }

  private static RewardsSection defaultJudge() {
    return new RewardsSection(1, 0, 0, 0.05, false);
  }

  /** The results as an aligned text table. */
  static String table(Iterable<EvalSetResult> results) {
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%-28s %9s %9s %15s %18s%n",
                "set",
                "questions",
                "accuracy",
                "tool_call_rate",
                "tool_success_rate"));
    for (EvalSetResult r : results) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-28s %9d %9.4f %15.4f %18.4f%n",
              r.name(),
              r.questions(),
              r.accuracy(),
              r.stats().toolCallRate(),
              r.stats().toolSuccessRate()));
    }
    return sb.toString();
  }
}
