package ai.attune.iapo.train;

import ai.attune.core.run.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a short IAPO run on the tiny fixtures and prints one line per step with every metric that
 * does not measure time ({@code metrics <step> {...}}), for {@link CrossProcessReproducibilityTest}
 * to compare across two processes. Arguments: the seed, the number of steps, and optionally {@code
 * --gc-pressure} (a daemon thread requests a garbage collection every 5 ms, so memory the JVM owns
 * but the engine still reads is freed early).
 */
public final class ReproducibleRunMain {
  static final String PREFIX = "metrics ";

  private ReproducibleRunMain() {}

  public static void main(String[] args) throws Exception {
    long seed = Long.parseLong(args[0]);
    int steps = Integer.parseInt(args[1]);
    if (args.length > 2 && args[2].equals("--gc-pressure")) {
      startGcPressure();
    }
    Path out = Files.createTempDirectory("iapo-repro");
    String settings =
        """
        data: {eval: []}
        train: {seed: %d, steps: %d, prompts_per_step: 2, samples_per_eval: 0,
          checkpoint_every: 0}
        output: {plots: false, final_model: false}
        """
            .formatted(seed, steps);
    try (IapoTrainer t = new IapoTrainer(TinyRuns.config(out.resolve("run"), settings))) {
      t.onStep(r -> System.out.println(PREFIX + r.step() + " " + untimed(r.metrics())));
      t.train(false);
    } finally {
      AtomicFiles.deleteTree(out);
    }
  }

  /** The metrics that do not depend on how fast the machine is, sorted by name. */
  static Map<String, Object> untimed(Map<String, Object> metrics) {
    Map<String, Object> out = new TreeMap<>();
    metrics.forEach(
        (k, v) -> {
          if (!k.startsWith("time/") && !k.equals("step_time") && !k.equals("tokens_per_s")) {
            out.put(k, v);
          }
        });
    return out;
  }

  private static void startGcPressure() {
    Thread t =
        new Thread(
            () -> {
              while (true) {
                System.gc();
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "gc-pressure");
    t.setDaemon(true);
    t.start();
  }
}
