package ai.attune.examples;

import ai.attune.grzo.bench.BenchConfig;
import ai.attune.grzo.bench.GrzoBench;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code attune grzo bench}: per-step time and peak memory of MeZO and GRZO on a given shape. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Builds a random-weight model of the given shape and prints, for forward-only"
            + " passes, MeZO steps, GRZO steps and fused GRZO steps, the median ms per step after"
            + " warm-up and the peak memory (device memory on a GPU, native RSS on the CPU).")
final class GrzoBenchCommand implements Callable<Integer> {
  @Option(
      names = "--arch",
      defaultValue = "opt",
      description =
          "opt (a causal LM, next-token loss over random tokens) or roberta (a masked LM, the loss"
              + " at one mask slot of random prompts, as GRZO fine-tunes RoBERTa-large). Default:"
              + " ${DEFAULT-VALUE}")
  String arch;

  @Option(names = "--hidden", defaultValue = "256", description = "hidden size. Default: 256")
  int hidden;

  @Option(names = "--layers", defaultValue = "4", description = "layers. Default: 4")
  int layers;

  @Option(names = "--heads", description = "attention heads. Default: hidden / 64 (at least 1)")
  Integer heads;

  @Option(
      names = "--vocab",
      defaultValue = "50272",
      description = "vocabulary size. Default: 50272 (OPT's)")
  int vocab;

  @Option(names = "--batch", defaultValue = "16", description = "batch size B. Default: 16")
  int batch;

  @Option(names = "--seq", defaultValue = "128", description = "sequence length T. Default: 128")
  int seq;

  @Option(names = "--warmup", defaultValue = "2", description = "untimed steps. Default: 2")
  int warmup;

  @Option(names = "--steps", defaultValue = "10", description = "timed steps. Default: 10")
  int steps;

  @Option(names = "--seed", defaultValue = "42", description = "seed. Default: 42")
  long seed;

  @Option(
      names = "--phases",
      split = ",",
      defaultValue = "forward,mezo,grzo,fused",
      description =
          "the phases to run, any of forward, mezo, grzo, fused, grzo-cached, fused-cached (the"
              + " last two with optimizer.cache_directions; one phase per process gives each its own"
              + " peak memory). Default: ${DEFAULT-VALUE}")
  List<String> phases;

  @Option(
      names = "--profile",
      paramLabel = "DIR",
      description =
          "run one more step of each phase under libtorch's profiler, write its Chrome trace"
              + " (<phase>.trace.json, for Perfetto or chrome://tracing) into DIR and print the"
              + " phase's ops by self time")
  Path profile;

  @Mixin ComputeOptions compute;

  @Override
  public Integer call() {
    int h = heads == null ? Math.max(1, hidden / 64) : heads;
    BenchConfig config =
        new BenchConfig(
            arch,
            hidden,
            layers,
            h,
            vocab,
            batch,
            seq,
            warmup,
            steps,
            compute.devicePolicy(),
            compute.computeDtype(),
            seed,
            phases,
            profile);
    System.out.print(GrzoBench.run(config).table());
    return 0;
  }
}
