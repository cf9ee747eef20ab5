package ai.attune.iapo.train;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.iapo.data.SyntheticCharts;
import ai.attune.iapo.data.VqaDatasets;
import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.rollout.Rollout;
import ai.attune.iapo.rollout.RolloutConfig;
import ai.attune.iapo.rollout.RolloutRunner;
import ai.attune.iapo.rollout.SpecialTokens;
import ai.attune.iapo.tools.image.ImageTools;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.attune.models.qwen2vl.Qwen2VlImageProcessor;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Figures for one model shape (not a timed test): rollout throughput, the generated tokens per
 * second of G rollouts of each of {@code prompts} questions, one turn of exactly {@code
 * maxNewTokens} tokens (only vision placeholders stop a row, and none is expected), through the
 * rollout runner with its image prompts (all prompts x G rows in one batch); then {@code steps}
 * IAPO steps of a real run (rollouts with tools, rewards, student and teacher attribution, policy
 * update) with the time of each phase.
 *
 * @see Phase
 */
public final class IapoBench {
  private IapoBench() {}

  /**
   * What to measure.
   *
   * @param model the student checkpoint folder
   * @param teacher the teacher folder (null = a second copy of the student)
   * @param data a VQA JSONL file (null = 8 synthetic charts written to {@code work})
   * @param group G
   * @param maxNewTokens tokens per turn
   * @param maxTurns turns per rollout in the IAPO steps
   * @param steps IAPO steps to time (0: only the rollout throughput)
   * @param prompts questions per step
   * @param dtype compute type
   * @param device where to run
   * @param offerTools render the tool definitions into the prompts of the IAPO steps (they are
   *     long: with the tiny fixture's small vocabulary they make the prompt thousands of tokens)
   * @param work a scratch folder (run outputs)
   * @param randomShape when not null, benchmark a random-weight model of this decoder shape built
   *     from {@code model} as the template (tokenizer, vision tower, vocabulary) instead
   * @param randomDir where random-weight models are kept (built once per shape)
   */
  public record Options(
      Path model,
      Path teacher,
      Path data,
      int group,
      int maxNewTokens,
      int maxTurns,
      int steps,
      int prompts,
      String dtype,
      DevicePolicy device,
      boolean offerTools,
      Path work,
      RandomCheckpoint.Shape randomShape,
      Path randomDir) {

    /** Options without a random-weight model. */
    public Options(
        Path model,
        Path teacher,
        Path data,
        int group,
        int maxNewTokens,
        int maxTurns,
        int steps,
        int prompts,
        String dtype,
        DevicePolicy device,
        boolean offerTools,
        Path work) {
      this(
          model,
          teacher,
          data,
          group,
          maxNewTokens,
          maxTurns,
          steps,
          prompts,
          dtype,
          device,
          offerTools,
          work,
          null,
          null);
    }
  }

  /** The figures. */
  public record Result(
      Path model,
      int prompts,
      int group,
      int maxNewTokens,
      long generatedTokens,
      double generationSeconds,
      List<StepResult> steps) {

    public double tokensPerSecond() {
      return generatedTokens / generationSeconds;
    }

    /** A report for people. */
    public String report() {
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "model: %s%n", model));
      sb.append(
          String.format(
              Locale.ROOT,
              "rollout throughput: %d prompts x %d rollouts x %d"
                  + " new tokens: %d tokens in %.3f s = %.1f tokens/s%n",
              prompts,
              group,
              maxNewTokens,
              generatedTokens,
              generationSeconds,
              tokensPerSecond()));
      if (steps.isEmpty()) {
        return sb.toString();
      }
      sb.append(String.format(Locale.ROOT, "%-6s %9s", "step", "total_s"));
      for (Phase p : Phase.values()) {
        sb.append(String.format(Locale.ROOT, " %14s", p.metric().substring(5)));
      }
      sb.append(String.format(Locale.ROOT, " %7s %9s %9s%n", "prompt", "tokens", "tok/s"));
      for (StepResult s : steps) {
        sb.append(String.format(Locale.ROOT, "%-6d %9.3f", s.step(), s.metric("step_time")));
        for (Phase p : Phase.values()) {
          double t = s.times().seconds(p);
          sb.append(
              String.format(Locale.ROOT, " %7.3f (%3.0f%%)", t, 100 * t / s.metric("step_time")));
        }
        sb.append(
            String.format(
                Locale.ROOT,
                " %7d %9.0f %9.1f%n",
                s.rollouts().get(0).promptLength(),
                s.metric("completion_length") * s.rollouts().size(),
                s.metric("tokens_per_s")));
      }
      return sb.toString();
    }
  }

  public static Result run(Options given) throws IOException {
    Options o = given;
    if (o.randomShape() != null) {
      Path dir = RandomCheckpoint.ensure(o.model(), o.randomShape(), o.randomDir(), 20260611L);
      o =
          new Options(
              dir,
              null,
              o.data(),
              o.group(),
              o.maxNewTokens(),
              o.maxTurns(),
              o.steps(),
              o.prompts(),
              o.dtype(),
              o.device(),
              o.offerTools(),
              o.work(),
              null,
              null);
    }
    Path data = o.data();
    if (data == null) {
      SyntheticCharts.write(
          o.work().resolve("charts"), 8, 0, 20260611L, SyntheticCharts.Options.DEFAULT);
      data = o.work().resolve("charts/train.jsonl");
    }
    List<VqaExample> examples = VqaDatasets.load(data);
    if (examples.size() < o.prompts()) {
      throw new IllegalArgumentException(
          data + " holds " + examples.size() + " examples, fewer than --prompts " + o.prompts());
    }
    long[] generated = throughput(o, examples.subList(0, o.prompts()));
    List<StepResult> steps = new ArrayList<>();
    if (o.steps() > 0) {
      try (IapoTrainer trainer = new IapoTrainer(config(o, data))) {
        trainer.onStep(steps::add);
        trainer.train(false);
      }
    }
    return new Result(
        o.model(),
        o.prompts(),
        o.group(),
        o.maxNewTokens(),
        generated[0],
        generated[1] / 1e9,
        steps);
  }

  /**
   * {tokens, nanoseconds} of one turn of G rollouts of each example that only vision placeholders
   * stop.
   */
  private static long[] throughput(Options o, List<VqaExample> examples) {
    try (NDManager root = Engines.newManager(o.device());
        CausalLM lm =
            Models.load(o.model(), ai.attune.core.device.ComputeDtype.parse(o.dtype()), root);
        TextTokenizer tokenizer = TextTokenizer.load(o.model())) {
      SpecialTokens special = SpecialTokens.of(tokenizer);
      RolloutConfig rc =
          RolloutConfig.builder()
              .optMaxTurns(1)
              .optMaxNewTokensPerTurn(o.maxNewTokens())
              .optOfferTools(false)
              .build();
      RolloutRunner runner =
          new RolloutRunner(
                  (Qwen25VlForConditionalGeneration) lm,
                  tokenizer,
                  Qwen2VlImageProcessor.load(o.model()),
                  ImageTools.registry(),
                  rc)
              .withStopTokens(List.of(special.imagePad(), special.videoPad()));
      runner.run(examples.get(0), o.group(), 1, root); // warm-up
      long before = runner.generationNanos();
      long[] seeds = new long[examples.size()];
      for (int p = 0; p < seeds.length; p++) {
        seeds[p] = 2 + p;
      }
      List<Rollout> rollouts = new ArrayList<>();
      runner.runAll(examples, o.group(), seeds, root).forEach(rollouts::addAll);
      long nanos = runner.generationNanos() - before;
      long tokens = rollouts.stream().mapToLong(r -> r.trajectory().policyTokens()).sum();
      return new long[] {tokens, nanos};
    }
  }

  private static IapoTrainConfig config(Options o, Path data) throws IOException {
    Path teacher = o.teacher() == null ? o.model() : o.teacher();
    String yaml =
        String.join(
            "\n",
            "student: {dir: '"
                + o.model()
                + "', dtype: "
                + o.dtype()
                + ", device: "
                + o.device().name().toLowerCase(Locale.ROOT)
                + "}",
            "teacher: {dir: '" + teacher + "'}",
            "data: {train: '" + data + "'}",
            "rollout: {group_size: "
                + o.group()
                + ", max_turns: "
                + o.maxTurns()
                + ", max_new_tokens: "
                + o.maxNewTokens()
                + ", offer_tools: "
                + o.offerTools()
                + "}",
            "optim: {lr: 1.0e-6}",
            "train: {steps: "
                + o.steps()
                + ", prompts_per_step: "
                + o.prompts()
                + ", samples_per_eval: 0}",
            "output: {dir: '"
                + Files.createTempDirectory(o.work(), "run")
                + "', plots: false, final_model: false}");
    return IapoTrainConfig.parse(yaml, "iapo bench");
  }
}
