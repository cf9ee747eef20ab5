package ai.attune.grzo.train;

import ai.attune.core.device.Engines;
import ai.attune.models.LanguageModel;
import ai.attune.models.Models;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;

/**
 * What a training run works with: the engine manager, the model (from the base folder or a
 * checkpoint), its tokenizer, and the run's {@link TrainingData} bound to them.
 *
 * <p>Lifecycle: opened once per run, before the loop; closing it frees the model, the tokenizer and
 * every array of the run.
 */
final class TrainingSession implements AutoCloseable {
  final NDManager root;
  final LanguageModel model;
  final TextTokenizer tokenizer;
  final TrainingData.Opened data;
  final String dataName;
  private final boolean hasTest;

  private TrainingSession(
      NDManager root,
      LanguageModel model,
      TextTokenizer tokenizer,
      TrainingData.Opened data,
      String dataName,
      boolean hasTest) {
    this.root = root;
    this.model = model;
    this.tokenizer = tokenizer;
    this.data = data;
    this.dataName = dataName;
    this.hasTest = hasTest;
  }

  /**
   * Loads the weights of {@code weights} (the base model or a checkpoint) with the base model's
   * tokenizer and binds {@code data} (already read, so a bad line failed before the engine started)
   * to them.
   */
  static TrainingSession open(GrzoTrainConfig config, Path weights, TrainingData data) {
    NDManager root = Engines.newManager(config.model().device());
    LanguageModel model = null;
    TextTokenizer tokenizer = null;
    try {
      model = Models.loadAny(weights, config.model().computeDtype(), root);
      tokenizer = TextTokenizer.load(Path.of(config.model().dir()));
      TrainingData.Opened opened = data.open(model, tokenizer, config);
      return new TrainingSession(root, model, tokenizer, opened, data.name(), data.hasTest());
    } catch (RuntimeException e) {
      if (tokenizer != null) {
        tokenizer.close();
      }
      if (model != null) {
        model.close();
      }
      root.close();
      throw e;
    }
  }

  /** Whether the data has a test split (the before/after evaluation then uses it). */
  boolean hasTest() {
    return hasTest;
  }

  /** {@code test} or {@code dev}: the split of the before/after evaluation. */
  String finalSplitName() {
    return hasTest ? "test" : "dev";
  }

  @Override
  public void close() {
    try {
      tokenizer.close();
    } finally {
      try {
        model.close();
      } finally {
        root.close();
      }
    }
  }
}
