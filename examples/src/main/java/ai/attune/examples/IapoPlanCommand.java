package ai.attune.examples;

import ai.attune.iapo.memory.MemoryPlan;
import ai.attune.iapo.train.IapoTrainConfig;
import ai.attune.iapo.train.RunMemoryPlan;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code attune iapo plan}: the GPU memory one step of a config needs, and whether it fits. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description =
        "Estimates the GPU memory of one IAPO step of a config, component by component"
            + " (student weights, AdamW state, gradients, teacher, activations at the configured"
            + " grpo.micro_batch_size, attribution, generation), and says whether it fits. Exit code"
            + " 0 when it fits, 1 when it does not. Model sizes come from each checkpoint's"
            + " config.json, or from --shapes when the folder is absent.")
final class IapoPlanCommand implements Callable<Integer> {
  private static final Pattern SIZE =
      Pattern.compile("(?i)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(gb|gib)?\\s*");

  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, description = "IAPO YAML config")
  Path config;

  @Option(
      names = "--gpu-memory",
      description =
          "memory of the GPU, e.g. 80GB or 141GiB"
              + " (default: the config's train.gpu_memory_gb, else 80GB)")
  String gpuMemory;

  @Option(
      names = "--shapes",
      description =
          "folder of <model folder name>/config.json used"
              + " when a checkpoint folder is absent (default: shapes/ beside the config)")
  Path shapes;

  @Override
  public Integer call() {
    IapoTrainConfig c = IapoTrainConfig.read(config);
    long budget =
        gpuMemory != null
            ? parse(gpuMemory)
            : Math.round((c.train().gpuMemoryGb() > 0 ? c.train().gpuMemoryGb() : 80) * 1e9);
    Path shapeDir = shapes != null ? shapes : config.toAbsolutePath().getParent().resolve("shapes");
    MemoryPlan plan = RunMemoryPlan.of(c, budget, shapeDir);
    System.out.printf(Locale.ROOT, "memory plan of %s%n", config);
    System.out.print(plan.render());
    return plan.fits() ? 0 : 1;
  }

  private long parse(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      throw IapoCommand.usage(
          spec, "--gpu-memory: expected a size such as 80GB or 141GiB, got '" + text + "'");
    }
    double v = Double.parseDouble(m.group(1));
    boolean gib = m.group(2) != null && m.group(2).equalsIgnoreCase("gib");
    return Math.round(v * (gib ? 1L << 30 : 1e9));
  }
}
