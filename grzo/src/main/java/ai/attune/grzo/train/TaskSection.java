package ai.attune.grzo.train;

import static ai.attune.core.config.InvalidSettingException.nonNegative;
import static ai.attune.core.config.InvalidSettingException.require;
import static ai.attune.core.config.InvalidSettingException.requireText;

import ai.attune.core.config.InvalidSettingException;
import ai.attune.grzo.tasks.MezoTask;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The {@code task} section: what a run learns and how its examples become token rows.
 *
 * @param name the task: {@code sst2}, {@code rte}, {@code cb}, {@code boolq}, {@code wic}, {@code
 *     wsc}, {@code multirc}, {@code copa}, {@code squad} or {@code drop} (MeZO's templates; see
 *     grzo.md §4). Required.
 * @param train the training JSONL file (one example per line with the HF dataset's fields);
 *     relative to the config file's folder. Required.
 * @param dev the JSONL file evaluated every {@code train.eval_every} steps. Required.
 * @param test an optional JSONL file evaluated before and after training; without it the
 *     before/after numbers are taken on {@code dev}
 * @param trainExamples how many training examples to draw (seeded by {@code data_seed}); 0 = all
 *     (default 1000, the paper's)
 * @param devExamples how many dev examples to draw; 0 = all (default 500)
 * @param testExamples how many test examples to draw; 0 = all (default 1000)
 * @param dataSeed the seed of the example draws (default 42)
 * @param prependBos put the model's BOS token first in every row, as HF's OPT and Llama tokenizers
 *     do (default true; causal LMs only)
 * @param maxLength the longest token row; longer prompts lose tokens from the left (default 256)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TaskSection(
    String name,
    String train,
    String dev,
    String test,
    int trainExamples,
    int devExamples,
    int testExamples,
    long dataSeed,
    boolean prependBos,
    int maxLength) {

  public TaskSection {
    requireText(name, "task.name");
    try {
      name = MezoTask.fromName(name).id();
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException("task.name", e.getMessage());
    }
    requireText(train, "task.train");
    requireText(dev, "task.dev");
    require(test == null || !test.isBlank(), "task.test", "must not be empty (omit it instead)");
    nonNegative(trainExamples, "task.train_examples");
    nonNegative(devExamples, "task.dev_examples");
    nonNegative(testExamples, "task.test_examples");
    require(maxLength >= 2, "task.max_length", "must be >= 2, got " + maxLength);
  }

  /** The task. */
  public MezoTask task() {
    return MezoTask.fromName(name);
  }
}
