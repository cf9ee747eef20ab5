package ai.attune.core.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The folder one training run writes ({@code output.dir}), the same for every trainer:
 *
 * <ul>
 *   <li>{@code metrics.jsonl} and the trainer's other JSONL logs, one line per event;
 *   <li>{@code config.yaml}: the resolved config; {@code run.json}: the {@link RunRecord};
 *   <li>{@code checkpoints/step-<n>/}: checkpoints, each written whole beside its target and
 *       renamed into place ({@link AtomicFiles#writeDirectory}), holding the trainer's weights,
 *       {@code trainer_state.json} ({@link TrainerState}), {@code config.yaml} and {@code
 *       run.json}; only the newest {@code keep} are kept.
 * </ul>
 *
 * <p>Resume: {@link #latestCheckpoint} finds the newest complete checkpoint (one with a trainer
 * state: a folder still being written has none), and {@link #cutLogs} cuts each log back to the
 * lines it held at that step, so the resumed run appends exactly what an uninterrupted one would
 * have written.
 *
 * @param dir the run folder
 */
public record RunFolder(Path dir) {
  /** One JSON line per step (and per evaluation or skipped step, as the trainer writes). */
  public static final String METRICS = "metrics.jsonl";

  /** The resolved config, in the run folder and in every checkpoint. */
  public static final String CONFIG = "config.yaml";

  /** The run record, in the run folder and in every checkpoint. */
  public static final String RUN_RECORD = "run.json";

  /** The folder of the checkpoints. */
  public static final String CHECKPOINTS = "checkpoints";

  private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");

  public RunFolder {
    dir = dir.toAbsolutePath().normalize();
  }

  /** {@code name} inside the run folder. */
  public Path file(String name) {
    return dir.resolve(name);
  }

  /** The metrics log. */
  public Path metrics() {
    return file(METRICS);
  }

  /** The resolved config of the run. */
  public Path config() {
    return file(CONFIG);
  }

  /** The run record of the run. */
  public Path runRecord() {
    return file(RUN_RECORD);
  }

  /** The folder of step {@code step}'s checkpoint. */
  public Path checkpoint(long step) {
    return dir.resolve(CHECKPOINTS).resolve(String.format("step-%06d", step));
  }

  /**
   * Fails with a clear message naming {@code setting} when the folder (or a file the run writes in
   * it) exists but is not what a run needs; creates nothing.
   */
  public void requireUsable(String setting) {
    OutputPaths.requireFolder(dir, setting);
  }

  /** Writes the resolved config and the run record at the top of the folder (created if needed). */
  public void writeRunFiles(String configYaml, RunRecord record) throws IOException {
    Files.createDirectories(dir);
    AtomicFiles.write(config(), configYaml.getBytes(StandardCharsets.UTF_8));
    record.write(runRecord());
  }

  /**
   * Writes step {@code state.step()}'s checkpoint atomically: {@code weights} fills the folder with
   * the trainer's tensors, then the state, config and run record are added; afterwards all but the
   * newest {@code keep} checkpoints are deleted.
   *
   * @return the checkpoint's folder
   */
  public Path writeCheckpoint(
      TrainerState state, String configYaml, RunRecord record, int keep, IoConsumer<Path> weights)
      throws IOException {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be >= 1, got " + keep);
    }
    Path target = checkpoint(state.step());
    AtomicFiles.writeDirectory(
        target,
        tmp -> {
          weights.accept(tmp);
          AtomicFiles.write(tmp.resolve(CONFIG), configYaml.getBytes(StandardCharsets.UTF_8));
          record.write(tmp.resolve(RUN_RECORD));
          state.write(tmp);
        });
    List<Path> all = checkpoints();
    for (int i = 0; i < all.size() - keep; i++) {
      AtomicFiles.deleteTree(all.get(i));
    }
    return target;
  }

  /** The complete checkpoints of the run (those with a trainer state), oldest first. */
  public List<Path> checkpoints() throws IOException {
    Path d = dir.resolve(CHECKPOINTS);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(p -> STEP_DIR.matcher(p.getFileName().toString()).matches())
          .filter(p -> Files.isRegularFile(p.resolve(TrainerState.FILE)))
          .sorted(Comparator.comparingLong(RunFolder::stepOf))
          .toList();
    }
  }

  /** The newest complete checkpoint, if any. */
  public Optional<Path> latestCheckpoint() throws IOException {
    List<Path> all = checkpoints();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** The newest complete checkpoint; fails naming the folder when there is none. */
  public Path lastCheckpoint() throws IOException {
    return latestCheckpoint()
        .orElseThrow(
            () -> new IOException(dir.resolve(CHECKPOINTS) + " holds no complete checkpoint"));
  }

  /** Whether the folder holds a complete checkpoint. */
  public boolean hasCheckpoint() throws IOException {
    return latestCheckpoint().isPresent();
  }

  /** Whether any of {@code logs} (names in the folder) or a checkpoint folder exists. */
  public boolean hasRun(List<String> logs) {
    for (String name : logs) {
      if (Files.exists(file(name))) {
        return true;
      }
    }
    return Files.exists(dir.resolve(CHECKPOINTS));
  }

  /** Cuts each log the state lists back to the lines it held at the state's step. */
  public void cutLogs(TrainerState state) throws IOException {
    for (Map.Entry<String, Long> e : state.logLines().entrySet()) {
      JsonlFiles.keepLines(file(e.getKey()), e.getValue());
    }
  }

  /**
   * Deletes what a previous run wrote: the config, the run record, the checkpoints and the named
   * {@code files} (other files in the folder are left alone).
   */
  public void clear(List<String> files) throws IOException {
    List<Path> paths = new ArrayList<>(List.of(config(), runRecord()));
    files.forEach(f -> paths.add(file(f)));
    for (Path p : paths) {
      Files.deleteIfExists(p);
    }
    AtomicFiles.deleteTree(dir.resolve(CHECKPOINTS));
  }

  private static long stepOf(Path p) {
    Matcher m = STEP_DIR.matcher(p.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }
}
