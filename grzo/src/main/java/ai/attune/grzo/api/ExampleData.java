package ai.attune.grzo.api;

import ai.attune.grzo.optim.BatchLoss;
import ai.attune.grzo.optim.ZerothOrderOptimizer;
import ai.attune.grzo.optim.ZoStep;
import ai.attune.grzo.tasks.EvalMetrics;
import ai.attune.grzo.train.GrzoTrainConfig;
import ai.attune.grzo.train.TrainWorker;
import ai.attune.grzo.train.TrainingData;
import ai.attune.models.LanguageModel;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The user's examples and loss as a run's {@link TrainingData}: training batches scored by the
 * {@link ExampleLoss} under the optimizer's perturbations, and evaluations that report the mean
 * loss on the dev (and test) examples ({@link EvalMetrics} metric {@code loss}).
 */
final class ExampleData<E> implements TrainingData {
  private final List<E> train;
  private final List<E> dev;
  private final List<E> test;
  private final ExampleEncoder<E> encoder;
  private final ExampleLoss<E> loss;

  ExampleData(
      List<E> train, List<E> dev, List<E> test, ExampleEncoder<E> encoder, ExampleLoss<E> loss) {
    this.train = List.copyOf(train);
    this.dev = List.copyOf(dev);
    this.test = List.copyOf(test);
    this.encoder = encoder;
    this.loss = loss;
  }

  @Override
  public String name() {
    return "examples";
  }

  @Override
  public boolean hasTest() {
    return !test.isEmpty();
  }

  @Override
  public Opened open(LanguageModel model, TextTokenizer tokenizer, GrzoTrainConfig config) {
    int evalBatch = config.train().evalBatchSize();
    return new Opened() {
      @Override
      public int trainSize() {
        return train.size();
      }

      @Override
      public ZoStep step(
          TrainWorker worker,
          ZerothOrderOptimizer optimizer,
          long step,
          long seed,
          double learningRate,
          int[] batch,
          NDManager manager,
          UnaryOperator<BatchLoss> wrap) {
        if (worker != TrainWorker.SINGLE) {
          throw new IllegalStateException("examples from code train in a single process only");
        }
        EncodedRows<E> rows =
            EncodedRows.encode(pick(train, batch), batch, "training", encoder, tokenizer, model);
        BatchLoss l = new ExampleBatchLoss<>(rows, loss, model, tokenizer, manager);
        return optimizer.step(step, seed, learningRate, wrap.apply(l));
      }

      @Override
      public EvalMetrics evaluate(String split, NDManager parent) {
        List<E> examples = split.equals("test") ? test : dev;
        double sum = 0;
        for (int from = 0; from < examples.size(); from += evalBatch) {
          int to = Math.min(examples.size(), from + evalBatch);
          int[] indices = new int[to - from];
          for (int i = 0; i < indices.length; i++) {
            indices[i] = from + i;
          }
          EncodedRows<E> rows =
              EncodedRows.encode(
                  examples.subList(from, to), indices, split, encoder, tokenizer, model);
          try (NDManager m = parent.newSubManager()) {
            for (double v : EncodedRows.losses(loss, model, rows.toBatch(1, m, tokenizer))) {
              sum += v;
            }
          }
        }
        double mean = sum / examples.size();
        return new EvalMetrics("loss", mean, mean, examples.size());
      }
    };
  }

  private static <E> List<E> pick(List<E> all, int[] indices) {
    List<E> out = new ArrayList<>(indices.length);
    for (int i : indices) {
      out.add(all.get(i));
    }
    return out;
  }
}
