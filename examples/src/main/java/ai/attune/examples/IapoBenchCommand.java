package ai.attune.examples;

import ai.attune.core.run.AtomicFiles;
import ai.attune.iapo.train.IapoBench;
import ai.attune.iapo.train.RandomCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code attune iapo bench}: rollout throughput and the time split of IAPO steps. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Prints rollout throughput (generated tokens/s of G one-turn rollouts of"
            + " exactly --max-new-tokens tokens) and the time of each phase of --steps IAPO steps"
            + " (generation, tool execution, rewards, student attribution, teacher attribution,"
            + " policy update) for a model. Figures, not a test.")
final class IapoBenchCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Qwen2.5-VL checkpoint folder")
  Path model;

  @Option(names = "--teacher", description = "teacher folder (default: a copy of --model)")
  Path teacher;

  @Option(names = "--data", description = "VQA JSONL (default: 8 synthetic charts)")
  Path data;

  @Option(names = "--group", defaultValue = "4", description = "G. Default: ${DEFAULT-VALUE}")
  int group;

  @Option(
      names = "--max-new-tokens",
      defaultValue = "64",
      description = "tokens per turn. Default: ${DEFAULT-VALUE}")
  int maxNewTokens;

  @Option(
      names = "--max-turns",
      defaultValue = "2",
      description = "turns per rollout in the steps. Default: ${DEFAULT-VALUE}")
  int maxTurns;

  @Option(
      names = "--steps",
      defaultValue = "3",
      description =
          "IAPO steps to time (0: only the rollout throughput). Default:" + " ${DEFAULT-VALUE}")
  int steps;

  @Option(
      names = "--prompts",
      defaultValue = "1",
      description = "questions per step. Default: ${DEFAULT-VALUE}")
  int prompts;

  @Option(
      names = "--no-tool-definitions",
      description = "leave the tool definitions out of the prompts of the steps")
  boolean noToolDefinitions;

  @Option(
      names = "--random-shape",
      paramLabel = "SPEC",
      description =
          "benchmark a random-weight Qwen2.5-VL with this decoder shape instead of"
              + " --model's weights (--model gives the tokenizer, vision tower and vocabulary):"
              + " hidden=H,layers=L,heads=A,kv_heads=K,intermediate=I (omitted keys: 512, 4, 8, 2,"
              + " 1408). Built once into --random-dir.")
  String randomShape;

  @Option(
      names = "--random-dir",
      paramLabel = "DIR",
      description =
          "where random-weight models are kept. Default: the temp folder's"
              + " attune-random-models")
  Path randomDir;

  @Mixin ComputeOptions compute;

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("iapo-bench");
    try {
      System.out.print(run(work).report());
    } finally {
      AtomicFiles.deleteTree(work); // the charts and the run folder are the bench's own scratch
    }
    return 0;
  }

  private IapoBench.Result run(Path work) throws Exception {
    return IapoBench.run(
        new IapoBench.Options(
            model,
            teacher,
            data,
            group,
            maxNewTokens,
            maxTurns,
            steps,
            prompts,
            compute.computeDtype().toString(),
            compute.devicePolicy(),
            !noToolDefinitions,
            work,
            randomShape == null ? null : RandomCheckpoint.Shape.parse(randomShape),
            randomDir != null
                ? randomDir
                : Path.of(System.getProperty("java.io.tmpdir"), "attune-random-models")));
  }
}
