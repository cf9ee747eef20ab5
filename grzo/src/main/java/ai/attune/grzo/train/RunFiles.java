package ai.attune.grzo.train;

import ai.attune.core.run.AtomicFiles;
import ai.attune.core.run.OutputPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of a run folder ({@code output.dir}).
 *
 * @param dir the run folder
 */
public record RunFiles(Path dir) {
  /** One JSON line per step, evaluation and skipped step. */
  public Path metrics() {
    return dir.resolve("metrics.jsonl");
  }

  /** The seed log: one line per applied step, enough to replay the run from the base weights. */
  public Path seedLog() {
    return dir.resolve("seed_log.jsonl");
  }

  /** The train/eval loss plot written at the end. */
  public Path plot() {
    return dir.resolve("loss.png");
  }

  /** The latest checkpoint (an HF model folder plus the trainer's state). */
  public Path checkpoint() {
    return dir.resolve("checkpoint");
  }

  /** The resolved config, beside the seed log (what {@code grzo replay} reads). */
  public Path config() {
    return dir.resolve(Checkpoints.CONFIG_FILE);
  }

  /** The run record of the run. */
  public Path runRecord() {
    return dir.resolve(Checkpoints.RUN_RECORD);
  }

  /** Whether the folder holds a checkpoint with a trainer state. */
  public boolean hasCheckpoint() {
    return Files.isRegularFile(checkpoint().resolve(TrainerState.FILE));
  }

  /** Whether the folder holds the metrics or seed log of a run (with or without a checkpoint). */
  public boolean hasLogs() {
    return Files.exists(metrics()) || Files.exists(seedLog());
  }

  /**
   * Fails with a clear message when {@code output.dir} (or a file the run writes in it) exists but
   * is not what the run needs.
   */
  public void requireFolder() {
    OutputPaths.requireFolder(dir, "output.dir");
  }

  /** Deletes every file of a previous run in the folder (other files are left alone). */
  public void clear() throws IOException {
    for (Path p : new Path[] {metrics(), seedLog(), plot(), config(), runRecord()}) {
      Files.deleteIfExists(p);
    }
    AtomicFiles.deleteTree(checkpoint());
  }
}
