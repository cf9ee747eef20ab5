package ai.attune.iapo.train;

import ai.attune.core.config.ConfigException;
import ai.attune.core.config.ConfigYaml;
import ai.attune.core.run.RunFolder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Whether a config may resume a checkpoint: every field that shapes the run's trajectory (models,
 * data order, rollouts, rewards, alignment, GRPO, optimizer, seeds, prompts per step, warm start)
 * must equal the checkpoint's {@code config.yaml}. The number of steps, the evaluation sets and
 * periods, the checkpoint periods and the {@code output} section may change: no IAPO step's update
 * depends on them.
 */
final class ResumeCheck {
  /** Fields that may change between a run and its resumption. */
  private static final Map<String, Set<String>> MAY_CHANGE =
      Map.of(
          "train",
              Set.of(
                  "steps",
                  "eval_every",
                  "checkpoint_every",
                  "keep_checkpoints",
                  "samples_per_eval"),
          "data", Set.of("eval", "max_eval_examples"),
          "output", Set.of("plots", "final_model", "dir"));

  private ResumeCheck() {}

  /** What in {@code config} would change the run checkpointed in {@code checkpoint}, or null. */
  static String changedTrajectory(IapoTrainConfig config, Path checkpoint) throws IOException {
    Path file = checkpoint.resolve(RunFolder.CONFIG);
    String saved;
    try {
      saved = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null; // a checkpoint written before configs were saved in it: nothing to compare
    }
    ObjectNode before = tree(resolved(saved, file), file);
    ObjectNode now = tree(config.toYaml(), file);
    for (Map.Entry<String, Set<String>> e : MAY_CHANGE.entrySet()) {
      for (ObjectNode t : new ObjectNode[] {before, now}) {
        if (t.get(e.getKey()) instanceof ObjectNode section) {
          section.remove(e.getValue());
        }
      }
    }
    String diff = firstDifference("", before, now);
    return diff == null
        ? null
        : "the config differs from that of the run being resumed (" + file + ") at " + diff;
  }

  /**
   * The saved config as this version writes it, so that a default written differently by an older
   * version ({@code system_prompt: null} for the default prompt, {@code epsilon_high: null} for
   * epsilon) is no change; the text as it is when it no longer binds.
   */
  private static String resolved(String saved, Path file) {
    try {
      return IapoTrainConfig.parse(saved, file.toString()).toYaml();
    } catch (ConfigException e) {
      return saved;
    }
  }

  private static ObjectNode tree(String yaml, Path file) throws IOException {
    try {
      JsonNode t = ConfigYaml.MAPPER.readTree(yaml);
      if (t instanceof ObjectNode o) {
        return o;
      }
    } catch (JsonProcessingException e) {
      throw new IOException(file + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
    throw new IOException(file + ": expected a YAML mapping");
  }

  private static String firstDifference(String path, JsonNode a, JsonNode b) {
    if (a.isObject() && b.isObject()) {
      Iterator<String> names = a.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        String p = path.isEmpty() ? name : path + "." + name;
        JsonNode other = b.get(name);
        String d =
            other == null
                ? p + " (was " + a.get(name) + ", now absent)"
                : firstDifference(p, a.get(name), other);
        if (d != null) {
          return d;
        }
      }
      Iterator<String> more = b.fieldNames();
      while (more.hasNext()) {
        String name = more.next();
        if (!a.has(name)) {
          return (path.isEmpty() ? name : path + "." + name)
              + " (absent before, now "
              + b.get(name)
              + ")";
        }
      }
      return null;
    }
    return a.equals(b) ? null : path + " (was " + a + ", now " + b + ")";
  }
}
