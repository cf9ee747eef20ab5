package ai.attune.iapo.warmstart;

import ai.attune.core.device.Engines;
import ai.attune.core.optim.AdamW;
import ai.attune.core.run.ProgressLog;
import ai.attune.iapo.rollout.TeacherForcedBatch;
import ai.attune.iapo.rollout.Trajectory;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Supervised fine-tuning on demonstration trajectories: the next-token cross-entropy of the policy
 * tokens only (prompt and tool-output tokens are inputs, never targets), averaged over the batch's
 * policy tokens, minimised with {@link AdamW} under the configured learning-rate schedule.
 *
 * <p>Trains whatever is trainable in the model's parameter store: every parameter (full
 * fine-tuning), or only the adapters after {@code Lora.apply} froze the rest. Each step runs in its
 * own sub-manager; the optimizer's state is freed at the end. Gradients stay on the parameters
 * (zeroed before each step). Uses the process-global gradient collector.
 */
public final class SupervisedWarmStart {
  private SupervisedWarmStart() {}

  /**
   * Trains on {@code demonstrations} for {@code config.steps()} steps.
   *
   * @param padId the token that pads shorter rows (never a target)
   * @param parent the manager whose sub-managers hold each step's arrays
   */
  public static WarmStartResult train(
      Qwen25VlForConditionalGeneration model,
      List<Trajectory> demonstrations,
      WarmStartConfig config,
      long padId,
      NDManager parent) {
    if (demonstrations.isEmpty()) {
      throw new IllegalArgumentException("no demonstrations to train on");
    }
    long start = System.nanoTime();
    double[] losses = new double[config.steps()];
    Order order = new Order(demonstrations.size(), config.seed());
    ProgressLog progress = new ProgressLog("warm start", config.steps(), Duration.ofSeconds(10));
    try (AdamW opt = AdamW.overTrainable(model.parameters(), config.optimizer())) {
      for (int step = 0; step < config.steps(); step++) {
        List<Trajectory> batch = new ArrayList<>();
        for (int i = 0; i < config.batchSize(); i++) {
          batch.add(demonstrations.get(order.next()));
        }
        opt.setLearningRate(config.learningRate(step));
        opt.zeroGradients();
        try (NDManager s = parent.newSubManager()) {
          losses[step] = lossAndBackward(model, TeacherForcedBatch.of(batch, padId, s));
          opt.step();
        }
        progress.update(step + 1, Map.of("loss", losses[step], "lr", opt.learningRate()));
      }
    }
    progress.finish();
    return new WarmStartResult(losses, (System.nanoTime() - start) / 1e9);
  }

  /** Mean cross-entropy over the policy targets, back-propagated into the parameters. */
  static double lossAndBackward(Qwen25VlForConditionalGeneration model, TeacherForcedBatch batch) {
    try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
      NDArray mask = batch.policyMask();
      NDArray loss = batch.targetLogprobs(model).mul(mask).sum().neg().div(mask.sum());
      gc.backward(loss);
      return loss.getFloat();
    }
  }

  /** Reshuffled passes over the indexes, seeded. */
  private static final class Order {
    private final List<Integer> indexes = new ArrayList<>();
    private final Random random;
    private int next;

    Order(int n, long seed) {
      for (int i = 0; i < n; i++) {
        indexes.add(i);
      }
      random = new Random(new SplittableRandom(seed).nextLong());
      Collections.shuffle(indexes, random);
    }

    int next() {
      if (next == indexes.size()) {
        Collections.shuffle(indexes, random);
        next = 0;
      }
      return indexes.get(next++);
    }
  }
}
