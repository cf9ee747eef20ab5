package ai.attune.grzo.compare;

import static ai.attune.core.config.InvalidSettingException.positive;
import static ai.attune.core.config.InvalidSettingException.require;

import ai.attune.core.config.ConfigException;
import ai.attune.core.config.ConfigYaml;
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
import java.util.List;

/**
 * The settings of {@code grzo compare}: every optimizer is trained from the same base config at
 * every learning rate of one grid and every seed, and the runs are scored against two targets (see
 * {@code docs/grzo.md}, "Comparing GRZO and MeZO").
 *
 * @param base the training config every run starts from (relative to this file's folder)
 * @param optimizers the optimizer names compared ({@code grzo}, {@code mezo})
 * @param lrs the learning-rate grid, the same for every optimizer
 * @param seeds the run seeds (noise and batch order); at least one
 * @param steps the steps of every run
 * @param evalEvery the dev evaluation period in steps
 * @param targetLoss the training-loss target (moving average over 10 steps)
 * @param targetDevAccuracy the dev-accuracy target
 * @param output where each run writes its folder and the comparison its table
 * @param overrides YAML laid over the base config for every run (sections merge key by key)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CompareConfig(
    String base,
    List<String> optimizers,
    List<Double> lrs,
    List<Long> seeds,
    int steps,
    int evalEvery,
    double targetLoss,
    double targetDevAccuracy,
    String output,
    ObjectNode overrides) {

  public CompareConfig {
    require(base != null, "base", "required field is missing");
    require(optimizers != null && !optimizers.isEmpty(), "optimizers", "name at least one");
    require(lrs != null && !lrs.isEmpty(), "lrs", "list at least one learning rate");
    for (Double lr : lrs) {
      require(lr != null && lr > 0 && Double.isFinite(lr), "lrs", "every rate must be > 0");
    }
    require(
        seeds != null && !seeds.isEmpty() && seeds.stream().allMatch(x -> x != null),
        "seeds",
        "list at least one seed");
    positive(steps, "steps");
    positive(evalEvery, "eval_every");
    positive(targetLoss, "target_loss");
    require(
        targetDevAccuracy > 0 && targetDevAccuracy <= 1,
        "target_dev_accuracy",
        "must be in (0, 1]");
    require(output != null, "output", "required field is missing");
    optimizers = List.copyOf(optimizers);
    lrs = List.copyOf(lrs);
    seeds = List.copyOf(seeds);
    overrides = overrides == null ? ConfigYaml.MAPPER.createObjectNode() : overrides.deepCopy();
  }

  /** Reads {@code file}; {@code base} and {@code output} are resolved against its folder. */
  public static CompareConfig read(Path file) {
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
      throw ConfigException.forSource(source, "expected a YAML mapping at the top level", null);
    }
    CompareConfig c = ConfigYaml.bind(source, (ObjectNode) tree, CompareConfig.class);
    Path dir = file.toAbsolutePath().getParent();
    return new CompareConfig(
        dir.resolve(c.base).normalize().toString(),
        c.optimizers,
        c.lrs,
        c.seeds,
        c.steps,
        c.evalEvery,
        c.targetLoss,
        c.targetDevAccuracy,
        dir.resolve(c.output).normalize().toString(),
        c.overrides);
  }
}
