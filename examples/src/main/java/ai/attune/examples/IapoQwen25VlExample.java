package ai.attune.examples;

import ai.attune.core.device.QuickJit;
import ai.attune.iapo.api.IapoTraining;
import ai.attune.iapo.train.IapoTrainConfig;
import ai.attune.iapo.train.IapoTrainer;
import java.nio.file.Path;
import java.util.List;

/**
 * The paper's setting: a Qwen2.5-VL-3B-Instruct student trained with IAPO against a
 * Qwen2.5-VL-7B-Instruct teacher on ReFocus' chart training data, evaluated on its six chart/table
 * test sets ({@code configs/iapo-qwen2.5-vl-3b-7b.yaml}). The config points at local folders
 * ({@code /models/...}, {@code /data/refocus/...}); download them first (nothing is fetched here).
 * With a missing folder or file the example stops before loading anything and names each missing
 * path with its config field.
 *
 * <p>Usage: {@code IapoQwen25VlExample [config.yaml] [--resume]}. As the command line, it keeps the
 * JVM's C2 compiler off first ({@link QuickJit}; {@code -Dattune.jit=full} keeps it).
 */
public final class IapoQwen25VlExample {
  /** The config this example runs when given none. */
  public static final Path DEFAULT_CONFIG = Path.of("configs/iapo-qwen2.5-vl-3b-7b.yaml");

  private IapoQwen25VlExample() {}

  public static void main(String[] args) {
    try {
      QuickJit.applyFromProperty(QuickJit.Mode.QUICK);
      runExample(args);
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Runs the example; returns what the trainer did. */
  public static IapoTrainer.TrainResult runExample(String... args) {
    List<String> a = List.of(args);
    boolean resume = a.contains("--resume");
    Path file =
        a.stream()
            .filter(s -> !s.startsWith("--"))
            .findFirst()
            .map(Path::of)
            .orElse(DEFAULT_CONFIG);
    IapoTrainConfig config = IapoTrainConfig.read(file);
    List<String> missing = config.missingPaths();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          file
              + " names paths that are not on this machine;"
              + " download the checkpoints and the ReFocus data and fix the paths:\n  "
              + String.join("\n  ", missing));
    }
    try (IapoTraining run = IapoTraining.fromConfig(config, resume, false)) {
      IapoTrainer.TrainResult r = run.train();
      System.out.print(IapoEvalCommand.table(r.lastEval().values()));
      return r;
    }
  }
}
