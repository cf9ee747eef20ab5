package ai.attune.iapo.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

  /** The number of complete lines of {@code file} (0 when it does not exist). */
  static long lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    long n = 0;
    for (byte b : Files.readAllBytes(file)) {
      n += b == '\n' ? 1 : 0;
    }
    return n;
  }

  /**
   * Keeps the first {@code keep} lines of {@code file}: what a killed run logged after its last
   * checkpoint is dropped, since the resumed run logs those steps again.
   */
  static void truncateLines(Path file, long keep) throws IOException {
    if (!Files.exists(file)) {
      if (keep > 0) {
        throw new IOException(file + " is missing but the checkpoint counts " + keep + " lines");
      }
      return;
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int end = 0;
    for (long i = 0; i < keep; i++) {
      int nl = text.indexOf('\n', end);
      if (nl < 0) {
        throw new IOException(
            file + " has fewer than the " + keep + " lines the checkpoint counts");
      }
      end = nl + 1;
    }
    if (end < text.length()) {
      Files.writeString(file, text.substring(0, end), StandardCharsets.UTF_8);
    }
  }
}
