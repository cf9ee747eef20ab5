package ai.attune.grzo.train;

import ai.attune.core.config.ConfigException;
import ai.attune.core.config.ConfigYaml;
import ai.attune.core.config.InvalidSettingException;
import ai.attune.grzo.optim.GrzoConfig;
import ai.attune.grzo.optim.MezoConfig;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The settings of one GRZO/MeZO fine-tuning run, read from a YAML file (see {@code docs/grzo.md}
 * for every field). Each section is an immutable record validated when built; every error names the
 * file and the full dotted field.
 *
 * <p>Reading: the file's tree is laid over {@link #defaults()}, so a field the file omits takes its
 * default and a field with no default ({@code model.dir}, {@code task.name}, {@code task.train},
 * {@code task.dev}, {@code optimizer.lr}, {@code output.dir}) is required; unknown keys are
 * refused. Relative paths are resolved against the config file's folder, so the resolved config
 * (written beside every checkpoint and into the run record) holds absolute paths and reads back to
 * itself.
 *
 * @param model the base model
 * @param task the task and its data; null in a run whose examples and loss come from code ({@code
 *     ai.attune.grzo.api}), which a YAML file cannot describe
 * @param optimizer the optimizer and its hyper-parameters
 * @param train the loop: steps, batch size, seed, evaluation, checkpoints, NaN policy
 * @param output where the run writes
 */
public record GrzoTrainConfig(
    ModelSection model,
    TaskSection task,
    OptimizerSection optimizer,
    TrainSection train,
    OutputSection output) {

  /** Every default, as YAML. */
  public static final String DEFAULTS =
      """
      model:
        dtype: float32
        device: auto
      task:
        test: null
        train_examples: 1000
        dev_examples: 500
        test_examples: 1000
        data_seed: 42
        prepend_bos: true
        max_length: 256
      optimizer:
        name: grzo
        schedule: constant
        mezo_params: all
        variant:
          name: none
          keep: 0.25
          rank: 8
          period: 50
          strict: true
          bits: 8
      train:
        steps: 20000
        batch_size: 16
        seed: 42
        eval_every: 4000
        eval_batch_size: 32
        checkpoint_every: 1000
        keep_checkpoints: 1
        log_every: 10
        nan_policy: stop
        target_loss: null
      output:
        plot: true
      """;

  public GrzoTrainConfig {
    InvalidSettingException.require(model != null, "model", "required section is missing");
    InvalidSettingException.require(optimizer != null, "optimizer", "required section is missing");
    InvalidSettingException.require(train != null, "train", "required section is missing");
    InvalidSettingException.require(output != null, "output", "required section is missing");
    InvalidSettingException.require(
        optimizer.name() != OptimizerName.GRZO
            || !optimizer.grzo().estimator().mode().normalises()
            || optimizer.grzo().estimator().stdFloor() > 0
            || train.batchSize() >= 2,
        "train.batch_size",
        "estimator "
            + optimizer.grzo().estimator().mode()
            + " divides by the sample std of the batch, which needs at least 2 examples; raise"
            + " train.batch_size or set optimizer.std_floor > 0");
  }

  /** Reads and validates {@code file}, resolving relative paths against its folder. */
  public static GrzoTrainConfig read(Path file) {
    String source = file.toString();
    JsonNode tree;
    try {
      tree = ConfigYaml.MAPPER.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw ConfigException.forSource(source, "file not found", e);
    } catch (JsonProcessingException e) {
      throw ConfigException.forSource(source, "not valid YAML: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (tree == null || !tree.isObject()) {
      throw ConfigException.forSource(
          source,
          "expected a YAML mapping of sections (model,"
              + " task, optimizer, train, output) at the top level",
          null);
    }
    GrzoTrainConfig config =
        ConfigYaml.bind(
            source, ConfigYaml.merge(defaults(), (ObjectNode) tree), GrzoTrainConfig.class);
    Path base = file.toAbsolutePath().getParent();
    return config.resolvedAgainst(base);
  }

  /** Parses YAML text; relative paths stay as they are (tests, programmatic use). */
  public static GrzoTrainConfig parse(String yaml, String source) {
    JsonNode tree;
    try {
      tree = ConfigYaml.MAPPER.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw ConfigException.forSource(source, "not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (tree == null || !tree.isObject()) {
      throw ConfigException.forSource(source, "expected a YAML mapping at the top level", null);
    }
    return ConfigYaml.bind(
        source, ConfigYaml.merge(defaults(), (ObjectNode) tree), GrzoTrainConfig.class);
  }

  /**
   * The defaults as a (fresh, mutable) tree: what the public API lays its settings over. The
   * optimizer's method settings are not in {@link #DEFAULTS}: they come from the optimizers' own
   * defaults ({@link GrzoConfig#paperDefault}, {@link MezoConfig#defaults}, which share {@link
   * ai.attune.grzo.optim.ZoSettings#defaults}), so each setting has one default.
   */
  public static ObjectNode defaults() {
    ObjectNode tree;
    try {
      tree = (ObjectNode) ConfigYaml.MAPPER.readTree(DEFAULTS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the built-in defaults are not valid YAML", e);
    }
    ObjectNode method =
        ConfigYaml.merge(
            ConfigYaml.MAPPER.valueToTree(GrzoConfig.paperDefault()),
            ConfigYaml.MAPPER.valueToTree(MezoConfig.defaults()));
    // an unset fused (null) follows the estimator the config names (GrzoConfig)
    method.putNull("fused");
    tree.set("optimizer", ConfigYaml.merge(method, (ObjectNode) tree.get("optimizer")));
    return tree;
  }

  /** A copy whose relative paths are resolved against {@code base}. */
  public GrzoTrainConfig resolvedAgainst(Path base) {
    ModelSection m = new ModelSection(resolve(base, model.dir()), model.dtype(), model.device());
    TaskSection t =
        task == null
            ? null
            : new TaskSection(
                task.name(),
                resolve(base, task.train()),
                resolve(base, task.dev()),
                task.test() == null ? null : resolve(base, task.test()),
                task.trainExamples(),
                task.devExamples(),
                task.testExamples(),
                task.dataSeed(),
                task.prependBos(),
                task.maxLength());
    OutputSection o = new OutputSection(resolve(base, output.dir()), output.plot());
    return new GrzoTrainConfig(m, t, optimizer, train, o);
  }

  private static String resolve(Path base, String path) {
    return base.resolve(path).toAbsolutePath().normalize().toString();
  }

  /** A copy with another number of steps ({@code --steps}). */
  public GrzoTrainConfig withSteps(int steps) {
    return new GrzoTrainConfig(model, task, optimizer, train.withSteps(steps), output);
  }

  /** A copy that writes to another folder ({@code --output}). */
  public GrzoTrainConfig withOutputDir(Path dir) {
    return new GrzoTrainConfig(
        model,
        task,
        optimizer,
        train,
        new OutputSection(dir.toAbsolutePath().normalize().toString(), output.plot()));
  }

  /** The config as YAML (snake_case keys, lower-case enum values). */
  public String toYaml() {
    return ConfigYaml.write(this);
  }

  /** The config as a JSON tree (for the run record). */
  public ObjectNode toTree() {
    return ConfigYaml.MAPPER.valueToTree(this);
  }
}
