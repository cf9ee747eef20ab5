package ai.attune.iapo.api;

import ai.attune.core.config.Mappers;
import ai.attune.core.device.DevicePolicy;
import ai.attune.iapo.reward.RewardFunction;
import ai.attune.iapo.reward.RewardSet;
import ai.attune.iapo.reward.RolloutView;
import ai.attune.iapo.tools.Tool;
import ai.attune.iapo.tools.ToolRegistry;
import ai.attune.iapo.train.IapoTrainConfig;
import ai.attune.iapo.train.IapoTrainer;
import ai.attune.iapo.warmstart.Demonstrations;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * IAPO (or plain GRPO, without a teacher) from Java: a Qwen2.5-VL student, question files, tools of
 * the user's ({@link JavaTool}) beside or instead of the built-in image tools, reward functions as
 * lambdas beside the built-in ones, an optional supervised warm start whose demonstrations call the
 * user's tools; {@link #train()}, then {@link #save} the student as an HF folder. See {@code
 * docs/api.md}.
 *
 * <p>It is the trainer of {@code attune iapo train} ({@link IapoTrainer}) with its config built in
 * code and its tools and rewards given as {@link IapoTrainer.Components}: the run writes the same
 * files to its output folder (metrics, evaluations, rollout samples, checkpoints, plots, {@code
 * final/}) and resumes exactly from its newest checkpoint ({@code optResume}) when given the same
 * tools and rewards.
 *
 * <p>Lifecycle: {@link #builder()} → {@code setX} (required) and {@code optX} (optional) → {@link
 * Builder#build()}, which checks the settings and loads the models (native memory) → {@link
 * #train()} → {@link #student()}, {@link #save} → {@link #close()}, which frees the models. Use it
 * in try-with-resources.
 */
public final class IapoTraining implements AutoCloseable {
  private final IapoTrainer trainer;
  private final boolean resume;
  private final boolean allowChangedConfig;

  private IapoTraining(IapoTrainer trainer, boolean resume, boolean allowChangedConfig) {
    this.trainer = trainer;
    this.resume = resume;
    this.allowChangedConfig = allowChangedConfig;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A run of a YAML config ({@code attune iapo train}): the config's built-in tools and rewards.
   * Loads the models.
   *
   * @param resume continue the run in {@code output.dir} from its newest checkpoint
   * @param allowChangedConfig with {@code resume}, continue even when the config changes the run's
   *     trajectory (logged as a warning)
   */
  public static IapoTraining fromConfig(
      IapoTrainConfig config, boolean resume, boolean allowChangedConfig) {
    return new IapoTraining(new IapoTrainer(config), resume, allowChangedConfig);
  }

  /** Runs the warm start (a fresh run) and the steps; returns what it did. */
  public IapoTrainer.TrainResult train() {
    return trainer.train(resume, allowChangedConfig);
  }

  /** The student being trained. */
  public Qwen25VlForConditionalGeneration student() {
    return trainer.models().student();
  }

  /** The resolved config (as written into every checkpoint). */
  public IapoTrainConfig config() {
    return trainer.config();
  }

  /** Writes the student as an HF folder at {@code dir} (LoRA adapters merged in). */
  public void save(Path dir) {
    trainer.saveStudent(dir);
  }

  /** Frees the models. */
  @Override
  public void close() {
    trainer.close();
  }

  /**
   * Collects the settings of a run. Required: {@link #setStudent}, {@link #setTrainData}, {@link
   * #setOutputDir}, {@link #setLearningRate}. Every optional setting defaults to the YAML config's
   * default (docs/iapo.md) and names its config field, which errors name; without {@link
   * #optTeacher} the run is GRPO ({@code alignment.lambda} 0).
   */
  public static final class Builder {
    private final ObjectNode tree = Mappers.json().createObjectNode();
    private final List<Tool> tools = new ArrayList<>();
    private final List<RewardFunction> rewards = new ArrayList<>();
    private final List<Double> rewardWeights = new ArrayList<>();
    private final List<IapoTrainer.StepListener> listeners = new ArrayList<>();
    private Demonstrations.CallChooser demonstrationCalls = Demonstrations.DEFAULT_CALLS;
    private boolean resume;

    Builder() {}

    private ObjectNode section(String name) {
      return tree.has(name) ? (ObjectNode) tree.get(name) : tree.putObject(name);
    }

    /** The Qwen2.5-VL checkpoint folder to train ({@code student.dir}). */
    public Builder setStudent(Path dir) {
      section("student").put("dir", absolute(dir));
      return this;
    }

    /** The training questions, VQA JSONL files read in order ({@code data.train}). */
    public Builder setTrainData(Path... files) {
      paths(section("data").putArray("train"), files);
      return this;
    }

    /** The folder the run writes to ({@code output.dir}). */
    public Builder setOutputDir(Path dir) {
      section("output").put("dir", absolute(dir));
      return this;
    }

    /** AdamW's learning rate ({@code optim.lr}). */
    public Builder setLearningRate(double lr) {
      section("optim").put("lr", lr);
      return this;
    }

    /** The frozen teacher the student's attributions are aligned to ({@code teacher.dir}). */
    public Builder optTeacher(Path dir) {
      section("teacher").put("dir", absolute(dir));
      return this;
    }

    /** Evaluation sets, each reported under its file name ({@code data.eval}). */
    public Builder optEvalData(Path... files) {
      paths(section("data").putArray("eval"), files);
      return this;
    }

    /** A tool of the user's, called by name like the built-in ones. */
    public Builder optTool(Tool tool) {
      tools.add(Objects.requireNonNull(tool, "tool"));
      return this;
    }

    /**
     * The built-in image tools offered (from crop, zoom_in, highlight, mask, draw_box; default all
     * five; none at all is allowed) ({@code rollout.tools}).
     */
    public Builder optBuiltinTools(String... names) {
      ArrayNode a = section("rollout").putArray("tools");
      for (String n : names) {
        a.add(n);
      }
      return this;
    }

    /**
     * A reward of the user's: one score per rollout (NaN = not applicable), weighted into r_out.
     */
    public Builder optReward(String name, double weight, ToDoubleFunction<RolloutView> score) {
      return optReward(RewardFunction.of(name, score), weight);
    }

    /** A reward function of the user's, scoring the whole batch, weighted into r_out. */
    public Builder optReward(RewardFunction reward, double weight) {
      rewards.add(Objects.requireNonNull(reward, "reward"));
      rewardWeights.add(weight);
      return this;
    }

    /**
     * The weights of the built-in rewards {@code accuracy}, {@code format} and {@code tool_penalty}
     * (default 1, 0, 0) ({@code rewards.*}).
     */
    public Builder optBuiltinRewardWeights(double correctness, double format, double toolPenalty) {
      section("rewards")
          .put("correctness", correctness)
          .put("format", format)
          .put("tool_penalty", toolPenalty);
      return this;
    }

    /**
     * λ, the weight of the attribution divergence (default 1 with a teacher) ({@code
     * alignment.lambda}).
     */
    public Builder optLambda(double lambda) {
      section("alignment").put("lambda", lambda);
      return this;
    }

    /** Integrated-gradients steps of each attribution (default 8) ({@code alignment.steps}). */
    public Builder optAttributionSteps(int steps) {
      section("alignment").put("steps", steps).put("steps_per_pass", steps);
      return this;
    }

    /** Rollouts per question, G (default 4) ({@code rollout.group_size}). */
    public Builder optGroupSize(int g) {
      section("rollout").put("group_size", g);
      return this;
    }

    /** Assistant turns per rollout (default 3) ({@code rollout.max_turns}). */
    public Builder optMaxTurns(int turns) {
      section("rollout").put("max_turns", turns);
      return this;
    }

    /** Token limit of one turn (default 256) ({@code rollout.max_new_tokens}). */
    public Builder optMaxNewTokens(int tokens) {
      section("rollout").put("max_new_tokens", tokens);
      return this;
    }

    /** Sampling temperature of training rollouts (default 1) ({@code rollout.temperature}). */
    public Builder optTemperature(double t) {
      section("rollout").put("temperature", t);
      return this;
    }

    /**
     * Render the tool definitions into the system turn (default true) ({@code
     * rollout.offer_tools}).
     */
    public Builder optOfferTools(boolean offer) {
      section("rollout").put("offer_tools", offer);
      return this;
    }

    /** The system text (default: the built-in prompt) ({@code rollout.system_prompt}). */
    public Builder optSystemPrompt(String text) {
      section("rollout").put("system_prompt", text);
      return this;
    }

    /** IAPO steps (default 100) ({@code train.steps}). */
    public Builder optSteps(int steps) {
      section("train").put("steps", steps);
      return this;
    }

    /** Questions per step (default 2) ({@code train.prompts_per_step}). */
    public Builder optPromptsPerStep(int prompts) {
      section("train").put("prompts_per_step", prompts);
      return this;
    }

    /** The run seed (default 42) ({@code train.seed}). */
    public Builder optSeed(long seed) {
      section("train").put("seed", seed);
      return this;
    }

    /** Checkpoint every this many steps, 0 = at the end only ({@code train.checkpoint_every}). */
    public Builder optCheckpointEvery(int steps) {
      section("train").put("checkpoint_every", steps);
      return this;
    }

    /** Evaluate every this many steps, 0 = at the end only ({@code train.eval_every}). */
    public Builder optEvalEvery(int steps) {
      section("train").put("eval_every", steps);
      return this;
    }

    /**
     * A supervised warm start before the first step, on demonstrations built from the training
     * questions ({@code train.warm_start}: steps, batch size, learning rate, constant schedule).
     */
    public Builder optWarmStart(int steps, int batchSize, double lr) {
      section("train")
          .putObject("warm_start")
          .put("steps", steps)
          .put("batch_size", batchSize)
          .put("lr", lr)
          .put("schedule", "constant");
      return this;
    }

    /**
     * The tool call of each warm-start demonstration (default: {@code highlight} or {@code
     * zoom_in}, {@link Demonstrations#callFor}); point it at a tool of the user's to teach it.
     */
    public Builder optDemonstrationCalls(Demonstrations.CallChooser calls) {
      this.demonstrationCalls = Objects.requireNonNull(calls, "calls");
      return this;
    }

    /** The device of every model (default auto) ({@code student.device}). */
    public Builder optDevice(DevicePolicy device) {
      section("student").put("device", device.name().toLowerCase(java.util.Locale.ROOT));
      return this;
    }

    /** Whether to write plots at each checkpoint (default true) ({@code output.plots}). */
    public Builder optPlots(boolean plots) {
      section("output").put("plots", plots);
      return this;
    }

    /** Called after each step with its metrics and rollouts (several: in the order added). */
    public Builder optListener(IapoTrainer.StepListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Continue the run in the output folder from its newest checkpoint (default false). */
    public Builder optResume(boolean resume) {
      this.resume = resume;
      return this;
    }

    /**
     * Checks the settings (errors name the config field), then loads the models.
     *
     * @throws IllegalStateException when a required setting is missing
     */
    public IapoTraining build() {
      require(section("student").has("dir"), "setStudent");
      require(section("data").has("train"), "setTrainData");
      require(section("output").has("dir"), "setOutputDir");
      require(section("optim").has("lr"), "setLearningRate");
      if (!tree.has("teacher") && !section("alignment").has("lambda")) {
        section("alignment").put("lambda", 0.0);
      }
      IapoTrainConfig config = IapoTrainConfig.fromTree(tree, "IapoTraining.Builder");
      IapoTrainer.Components base = IapoTrainer.Components.of(config);
      ToolRegistry registry = config.rollout().registry();
      tools.forEach(registry::register);
      RewardSet rewardSet = base.rewards();
      for (int i = 0; i < rewards.size(); i++) {
        rewardSet = rewardSet.plus(rewards.get(i), rewardWeights.get(i));
      }
      IapoTrainer trainer =
          new IapoTrainer(
              config, new IapoTrainer.Components(registry, rewardSet, demonstrationCalls));
      List<IapoTrainer.StepListener> all = List.copyOf(listeners);
      trainer.onStep(result -> all.forEach(l -> l.afterStep(result)));
      return new IapoTraining(trainer, resume, false);
    }

    private static void paths(ArrayNode array, Path... files) {
      for (Path f : files) {
        array.add(absolute(f));
      }
    }

    private static void require(boolean present, String setter) {
      if (!present) {
        throw new IllegalStateException(setter + " is required and was not called");
      }
    }

    private static String absolute(Path p) {
      return p.toAbsolutePath().normalize().toString();
    }
  }
}
