package ai.attune.iapo.train;

import java.nio.file.Files;
import java.nio.file.Path;

/** The files of a run folder and what a resume does to them. */
final class RunFiles {
  final Path dir;

  RunFiles(Path dir) {
    this.dir = dir;
  }

  Path metrics() {
    return dir.resolve("metrics.jsonl");
  }

  Path eval() {
    return dir.resolve("eval.jsonl");
  }

  Path plots() {
    return dir.resolve("plots");
  }

  Path rollouts(long step) {
    return dir.resolve("rollouts").resolve("step-" + step);
  }

  Path runRecord() {
    return dir.resolve("run_record.json");
  }

  Path warmStart() {
    return dir.resolve("warm_start.json");
  }

  /** Whether a run already wrote here. */
  boolean hasRun() {
    return Files.exists(metrics()) || Files.isDirectory(Checkpoints.dir(dir));
  }
}
