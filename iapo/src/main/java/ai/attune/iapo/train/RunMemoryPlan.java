package ai.attune.iapo.train;

import ai.attune.iapo.memory.MemoryPlan;
import ai.attune.iapo.memory.ModelSize;
import ai.attune.iapo.memory.PlanSettings;
import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The {@link MemoryPlan} of an IAPO config, and the trainer's check that it fits. Model sizes come
 * from each checkpoint folder's {@code config.json}; when a folder does not exist (planning on a
 * machine without the weights) from {@code <shapes>/<folder name>/config.json}.
 */
public final class RunMemoryPlan {
  private RunMemoryPlan() {}

  /** The plan of {@code config} against {@code budgetBytes}, with the default assumptions. */
  public static MemoryPlan of(IapoTrainConfig config, long budgetBytes, Path shapes) {
    StudentSection s = config.student();
    ModelSize student = ModelSize.of(configJson(s.dir(), shapes, "student.dir"));
    long trainable =
        s.lora() == null
            ? student.trainable(null, 0, s.trainVision())
            : student.trainable(s.lora().targets(), s.lora().rank(), false);
    ModelSize teacher =
        config.teacher() == null
            ? null
            : ModelSize.of(configJson(config.teacher().dir(), shapes, "teacher.dir"));
    ModelSize reference =
        config.reference() == null
            ? null
            : ModelSize.of(configJson(config.reference().dir(), shapes, "reference.dir"));
    RolloutSection r = config.rollout();
    int rollouts = config.train().promptsPerStep() * r.groupSize();
    int micro =
        config.grpo().microBatchSize() == 0
            ? rollouts
            : Math.min(rollouts, config.grpo().microBatchSize());
    PlanSettings run =
        new PlanSettings(
            micro,
            r.groupSize(),
            r.sampling().maxTurns(),
            r.sampling().maxNewTokensPerTurn(),
            PlanSettings.DEFAULT_PROMPT_TOKENS,
            PlanSettings.DEFAULT_TOOL_OUTPUT_TOKENS,
            config.alignment().config().attribution().stepsPerPass(),
            teacher != null,
            PlanSettings.DEFAULT_RUNTIME_BYTES,
            config.train().recomputeActivations());
    return MemoryPlan.of(
        student,
        s.computeDtype(),
        trainable,
        teacher,
        config.teacher() == null ? null : config.teacher().computeDtype(),
        reference,
        config.reference() == null ? null : config.reference().computeDtype(),
        run,
        budgetBytes);
  }

  /**
   * The budget the trainer checks against: {@code train.gpu_memory_gb} when set, else the total
   * memory of {@code device} when it is a GPU, else none (CPU runs are not checked).
   */
  static OptionalLong budget(IapoTrainConfig config, Device device) {
    if (config.train().gpuMemoryGb() > 0) {
      return OptionalLong.of(Math.round(config.train().gpuMemoryGb() * 1e9));
    }
    if (device.isGpu()) {
      return OptionalLong.of(CudaUtils.getGpuMemory(device).getMax());
    }
    return OptionalLong.empty();
  }

  /**
   * Refuses {@code config} when it has a budget ({@link #budget}) and its plan exceeds it.
   *
   * @throws IllegalArgumentException with the plan's table
   */
  static void requireFits(IapoTrainConfig config, Device device) {
    OptionalLong budget = budget(config, device);
    if (budget.isEmpty()) {
      return;
    }
    MemoryPlan plan = of(config, budget.getAsLong(), Path.of("configs", "shapes"));
    if (!plan.fits()) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "this config needs about"
                  + " %.1f GB of GPU memory per step but %.1f GB are available (train.gpu_memory_gb or"
                  + " the GPU's total); lower grpo.micro_batch_size, rollout lengths or"
                  + " alignment.steps_per_pass, or train with student.lora:%n%s",
              plan.totalBytes() / 1e9,
              budget.getAsLong() / 1e9,
              plan.render()));
    }
  }

  private static Path configJson(String dir, Path shapes, String field) {
    Path own = Path.of(dir).resolve("config.json");
    if (Files.isRegularFile(own)) {
      return own;
    }
    Path fallback = shapes.resolve(shapeName(Path.of(dir))).resolve("config.json");
    if (Files.isRegularFile(fallback)) {
      return fallback;
    }
    throw new IllegalArgumentException(
        field + ": no config.json at " + own + " nor at " + fallback);
  }

  /**
   * The folder name a checkpoint's shape is filed under: its own name, or for a run's {@code
   * final/} export (the paper's stage-1 teacher) the run folder's name.
   */
  private static String shapeName(Path dir) {
    Path name = dir.getFileName();
    if (name.toString().equals("final")
        && dir.getParent() != null
        && dir.getParent().getFileName() != null) {
      return dir.getParent().getFileName().toString();
    }
    return name.toString();
  }
}
