package ai.attune.iapo.train;

import static ai.attune.core.config.InvalidSettingException.require;

import ai.attune.core.config.ConfigException;
import ai.attune.core.config.ConfigYaml;
import ai.attune.core.optim.AdamWConfig;
import ai.attune.iapo.attribution.AlignmentConfig;
import ai.attune.iapo.grpo.GrpoLossConfig;
import ai.attune.iapo.rollout.RolloutConfig;
import ai.attune.models.adapters.LoraConfig;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The settings of one IAPO run, read from YAML (every field is documented on the record it is bound
 * to, a section record or a domain record a section holds unwrapped, and in {@code docs/iapo.md}).
 * Each section is an immutable record validated when built; every error names the file and the full
 * dotted field.
 *
 * <p>Reading: the file's tree is laid over {@link #DEFAULTS}, each section's laid over the defaults
 * of the domain records it holds (and an optional section the file gives, such as {@code teacher}
 * or {@code train.warm_start}, over its own defaults), so an omitted field takes its default and a
 * field without one ({@code student.dir}, {@code data.train}, {@code optim.lr}, {@code output.dir},
 * {@code teacher.dir}, {@code train.warm_start.steps}) is required; unknown keys are refused.
 * Relative paths are resolved against the config file's folder, so the resolved config (written
 * into every checkpoint) holds absolute paths and reads back to itself.
 *
 * @param student the policy being trained
 * @param teacher the frozen teacher whose attributions the student is aligned to; null = none (then
 *     {@code alignment.lambda} must be 0)
 * @param reference the frozen reference of the KL term; null = none (then {@code grpo.beta} must be
 *     0)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IapoTrainConfig(
    StudentSection student,
    ModelRef teacher,
    ModelRef reference,
    DataSection data,
    RolloutSection rollout,
    RewardsSection rewards,
    AlignmentSection alignment,
    GrpoSection grpo,
    AdamWConfig optim,
    TrainSection train,
    OutputSection output) {

  /** Every default, as YAML. */
  public static final String DEFAULTS =
      """
      student: {dtype: float32, device: auto, lora: null, train_vision: false}
      teacher: null
      reference: null
      data: {eval: [], max_train_examples: 0, max_eval_examples: 0, shuffle_seed: 42,
        format: vqa, image_root: null}
      rollout:
        group_size: 4
        tools: [crop, zoom_in, highlight, mask, draw_box]
        zoom_short_side: 224
        eval_temperature: 0.0
      rewards: {correctness: 1.0, format: 0.0, tool_penalty: 0.0, numeric_tolerance: 0.05,
        exact_match: false}
      alignment: {lambda: 1.0, no_tool_divergence: group_max, placebo: false}
      grpo: {epsilon_high: null, updates_per_batch: 1, micro_batch_size: 0}
      train: {steps: 100, prompts_per_step: 2, seed: 42, eval_every: 0, checkpoint_every: 0,
        keep_checkpoints: 2, samples_per_eval: 4, warm_start: null, gpu_memory_gb: 0,
        recompute_activations: false}
      output: {plots: true, final_model: true}
      """;

  /**
   * Defaults of the optional sections, applied when the file gives the section ({@code
   * student.lora}'s are {@link LoraConfig#defaults}).
   */
  private static Map<String, ObjectNode> optionalDefaults() {
    return Map.of(
        "teacher",
        tree("teacher defaults", "{dtype: null}"),
        "reference",
        tree("reference defaults", "{dtype: null}"),
        "student.lora",
        ConfigYaml.MAPPER.valueToTree(LoraConfig.defaults()),
        "train.warm_start",
        tree(
            "warm-start defaults",
            "{batch_size: 4, lr: 1.0e-3, max_examples: 0, schedule: linear, warmup_steps: 0}"));
  }

  public IapoTrainConfig {
    for (Object[] s :
        new Object[][] {
          {student, "student"},
          {data, "data"},
          {rollout, "rollout"},
          {rewards, "rewards"},
          {alignment, "alignment"},
          {grpo, "grpo"},
          {optim, "optim"},
          {train, "train"},
          {output, "output"}
        }) {
      require(s[0] != null, (String) s[1], "required section is missing");
    }
    teacher = teacher == null ? null : teacher.checked("teacher", student.dtype());
    reference = reference == null ? null : reference.checked("reference", student.dtype());
    require(
        teacher != null || alignment.lambda() == 0,
        "alignment.lambda",
        "is " + alignment.lambda() + " but there is no teacher; set teacher.dir or lambda: 0");
    require(
        reference != null || grpo.loss().beta() == 0,
        "grpo.beta",
        "is " + grpo.loss().beta() + " but there is no reference; set reference.dir or beta: 0");
  }

  /** Reads and validates {@code file}, resolving relative paths against its folder. */
  public static IapoTrainConfig read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw ConfigException.forSource(file.toString(), "file not found", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return parse(text, file.toString()).resolvedAgainst(file.toAbsolutePath().getParent());
  }

  /** Parses YAML text; relative paths stay as they are (tests, programmatic use). */
  public static IapoTrainConfig parse(String yaml, String source) {
    JsonNode tree;
    try {
      tree = ConfigYaml.MAPPER.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw ConfigException.forSource(source, "not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (tree == null || !tree.isObject()) {
      throw ConfigException.forSource(
          source,
          "expected a YAML mapping of sections (student,"
              + " teacher, data, rollout, rewards, alignment, grpo, optim, train, output)",
          null);
    }
    return fromTree((ObjectNode) tree, source);
  }

  /**
   * Binds a settings tree laid over {@link #DEFAULTS} (and an optional section's own defaults):
   * {@link #parse} after reading the YAML, and the public API ({@code ai.attune.iapo.api}), which
   * builds the tree in code. Relative paths stay as they are; errors name {@code source}.
   */
  public static IapoTrainConfig fromTree(ObjectNode tree, String source) {
    ObjectNode defaults = tree("defaults", DEFAULTS);
    under(defaults, "optim", AdamWConfig.defaults());
    under(defaults, "rollout", ConfigYaml.MAPPER.valueToTree(RolloutConfig.defaults()));
    under(defaults, "alignment", ConfigYaml.MAPPER.valueToTree(AlignmentConfig.defaults()));
    under(defaults, "grpo", ConfigYaml.MAPPER.valueToTree(GrpoLossConfig.defaults()));
    ObjectNode merged = ConfigYaml.merge(defaults, tree.deepCopy());
    for (Map.Entry<String, ObjectNode> o : optionalDefaults().entrySet()) {
      fillOptional(merged, o.getKey().split("\\."), o.getValue());
    }
    return ConfigYaml.bind(source, merged, IapoTrainConfig.class);
  }

  /**
   * Lays the section's own defaults from {@link #DEFAULTS} over those of the domain record bound
   * into it, so that each setting has one default: the record's ({@code null} in {@link #DEFAULTS}
   * says that a setting defaults to another, as {@code grpo.epsilon_high} to {@code epsilon}).
   */
  private static void under(ObjectNode defaults, String section, ObjectNode domain) {
    JsonNode own = defaults.get(section);
    defaults.set(section, own == null ? domain : ConfigYaml.merge(domain, (ObjectNode) own));
  }

  private static void fillOptional(ObjectNode root, String[] path, ObjectNode defaults) {
    ObjectNode parent = root;
    for (int i = 0; i < path.length - 1; i++) {
      JsonNode next = parent.get(path[i]);
      if (next == null || !next.isObject()) {
        return;
      }
      parent = (ObjectNode) next;
    }
    JsonNode given = parent.get(path[path.length - 1]);
    if (given != null && given.isObject()) {
      parent.set(path[path.length - 1], ConfigYaml.merge(defaults, (ObjectNode) given));
    }
  }

  private static ObjectNode tree(String what, String yaml) {
    try {
      return (ObjectNode) ConfigYaml.MAPPER.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the built-in " + what + " are not valid YAML", e);
    }
  }

  /** A copy whose relative paths are resolved against {@code base}. */
  public IapoTrainConfig resolvedAgainst(Path base) {
    List<String> eval = data.eval().stream().map(p -> resolve(base, p)).toList();
    return new IapoTrainConfig(
        student.withDir(resolve(base, student.dir())),
        teacher == null ? null : new ModelRef(resolve(base, teacher.dir()), teacher.dtype()),
        reference == null ? null : new ModelRef(resolve(base, reference.dir()), reference.dtype()),
        data.withPaths(
            data.train().stream().map(p -> resolve(base, p)).toList(),
            eval,
            data.imageRoot() == null ? null : resolve(base, data.imageRoot())),
        rollout,
        rewards,
        alignment,
        grpo,
        optim,
        train,
        new OutputSection(resolve(base, output.dir()), output.plots(), output.finalModel()));
  }

  private static String resolve(Path base, String path) {
    return base.resolve(path).toAbsolutePath().normalize().toString();
  }

  /**
   * The paths the config names that do not exist, each as {@code field: path}: checkpoint folders,
   * data files, the image root. Empty when everything is there.
   */
  public List<String> missingPaths() {
    List<String> out = new ArrayList<>();
    missing(out, "student.dir", student.dir(), true);
    if (teacher != null) {
      missing(out, "teacher.dir", teacher.dir(), true);
    }
    if (reference != null) {
      missing(out, "reference.dir", reference.dir(), true);
    }
    for (int i = 0; i < data.train().size(); i++) {
      missing(
          out,
          data.train().size() == 1 ? "data.train" : "data.train[" + i + "]",
          data.train().get(i),
          false);
    }
    for (int i = 0; i < data.eval().size(); i++) {
      missing(out, "data.eval[" + i + "]", data.eval().get(i), false);
    }
    if (data.imageRoot() != null) {
      missing(out, "data.image_root", data.imageRoot(), true);
    }
    return out;
  }

  private static void missing(List<String> out, String field, String path, boolean folder) {
    Path p = Path.of(path);
    if (folder ? !Files.isDirectory(p) : !Files.isRegularFile(p)) {
      out.add(field + ": " + (folder ? "no folder " : "no file ") + p.toAbsolutePath());
    }
  }

  /** A copy with another number of steps. */
  public IapoTrainConfig withSteps(int steps) {
    return new IapoTrainConfig(
        student,
        teacher,
        reference,
        data,
        rollout,
        rewards,
        alignment,
        grpo,
        optim,
        train.withSteps(steps),
        output);
  }

  /** The config as YAML (snake_case keys, lower-case enum values). */
  public String toYaml() {
    return ConfigYaml.write(this);
  }

  /** The config as a tree (for the run record). */
  public ObjectNode toTree() {
    return ConfigYaml.MAPPER.valueToTree(this);
  }
}
