package ai.attune.grzo.train;

import ai.attune.grzo.optim.BatchLoss;
import ai.attune.grzo.optim.ZerothOrderOptimizer;
import ai.attune.grzo.optim.ZoStep;
import ai.attune.grzo.tasks.EvalMetrics;
import ai.attune.models.LanguageModel;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDManager;
import java.util.function.UnaryOperator;

/**
 * What a {@link GrzoTrainer} run learns from: its training examples, how a batch of them becomes a
 * {@link BatchLoss}, and the dev (and optional test) evaluations. The config's MeZO task is one
 * kind ({@code task} section); the public API ({@code ai.attune.grzo.api}) supplies examples and a
 * per-example loss of the user's.
 *
 * <p>Lifecycle: built before the engine starts (a bad data file fails first); {@link #open} once
 * per run, after the model is loaded, gives the {@link Opened} data the training loop draws batches
 * from and evaluates on. The data holds no native memory of its own: every array of a step or
 * evaluation lives in the manager the loop passes in.
 */
public interface TrainingData {

  /** A short name for the run's plot title ({@code sst2}, {@code custom loss}). */
  String name();

  /** Whether there is a test split; without one the before/after numbers are taken on dev. */
  boolean hasTest();

  /** The data bound to the run's loaded model and tokenizer. */
  Opened open(LanguageModel model, TextTokenizer tokenizer, GrzoTrainConfig config);

  /** The data of one run, bound to its model. */
  interface Opened {

    /** The number of training examples (batches are drawn from {@code 0..trainSize()-1}). */
    int trainSize();

    /**
     * One optimizer step on the training examples {@code batch} (indices, in batch order): builds
     * their {@link BatchLoss} in {@code manager}, passes it through {@code wrap} (test hooks) and
     * has {@code worker} step {@code optimizer} with it.
     */
    ZoStep step(
        TrainWorker worker,
        ZerothOrderOptimizer optimizer,
        long step,
        long seed,
        double learningRate,
        int[] batch,
        NDManager manager,
        UnaryOperator<BatchLoss> wrap);

    /** The evaluation of the model on {@code split} ({@code dev} or {@code test}). */
    EvalMetrics evaluate(String split, NDManager parent);
  }
}
