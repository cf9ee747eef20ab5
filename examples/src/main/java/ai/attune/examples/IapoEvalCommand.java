package ai.attune.examples;

import ai.attune.iapo.train.DataSection;
import ai.attune.iapo.train.EvalSetResult;
import ai.attune.spark.eval.IapoEvalSpec;
import java.nio.file.Path;
import java.util.ArrayList;
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

  @Option(
      names = "--spark-master",
      paramLabel = "MASTER",
      description =
          "evaluate over Spark partitions of whole batches (local[N] or spark://HOST:PORT); the"
              + " results and samples equal one process's. Needs Spark on the class path"
              + " (spark-submit; docs/scale-out.md)")
  String sparkMaster;

  @Option(names = "--partitions", description = "Spark partitions (default: N of local[N])")
  Integer partitions;

  @Override
  public Integer call() {
    Map<String, EvalSetResult> results = run();
    System.out.print(table(results.values()));
    return 0;
  }

  /**
   * Evaluates (in this process, or over Spark with {@code --spark-master}) and returns the results
   * per set.
   */
  Map<String, EvalSetResult> run() {
    IapoEvalSpec spec =
        new IapoEvalSpec(
            model.toString(),
            data.stream().map(Path::toString).toList(),
            format(),
            imageRoot == null ? null : imageRoot.toString(),
            maxExamples,
            maxTurns,
            maxNewTokens,
            temperature,
            tools,
            zoomShortSide,
            !noToolDefinitions,
            samples == null ? 0 : sampleCount,
            seed,
            compute.devicePolicy(),
            compute.computeDtype());
    if (sparkMaster != null) {
      SparkRuns.requireSpark();
      int n = SparkRuns.workers(sparkMaster, partitions, "--partitions");
      return SparkRuns.evaluate(sparkMaster, n, spec, samples);
    }
    return spec.evaluate(samples);
  }

  private DataSection.Format format() {
    try {
      return DataSection.Format.valueOf(format.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--format: unknown format '" + format + "', use vqa or refocus", e);
    }
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
