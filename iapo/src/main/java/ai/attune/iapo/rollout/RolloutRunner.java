package ai.attune.iapo.rollout;

import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.grpo.TokenMasks.TokenRole;
import ai.attune.iapo.tools.ToolRegistry;
import ai.attune.models.ModelInfo;
import ai.attune.models.generation.GenerationConfig;
import ai.attune.models.generation.GenerationResult;
import ai.attune.models.qwen2vl.ImageLoadException;
import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.attune.models.qwen2vl.Qwen2VlImageProcessor;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples groups of multi-turn tool-using rollouts from a Qwen2.5-VL policy.
 *
 * <p>For one example, {@link #run} starts G rollouts from the same prompt (system turn with the
 * tool definitions, the example's images and question). Each turn renders nothing anew: every
 * still-active rollout's token sequence so far becomes one row of a left-padded batch, the rows'
 * images (the inputs plus every image a tool returned) are bound with {@code withImages}, and
 * the {@link TurnSampler} generates until {@code </tool_call>}, {@code <|im_end|>}, an
 * end-of-text token or the turn's token limit. Each row's new text is then parsed and its tool
 * calls executed through the {@link ToolRegistry}: a malformed call, an unknown tool, bad
 * arguments, a tool that throws or returns an image the model cannot take all become an error
 * result fed back, never an exception. The results (text, and images processed for the next
 * turn) are appended as a {@code <tool_response>} user turn plus the next generation prompt. A
 * turn without a tool call ends the rollout ({@link RolloutEnd#FINAL_ANSWER} or {@link
 * RolloutEnd#NO_TOOL_CALL}), as does the turn limit ({@link RolloutEnd#TURN_LIMIT}: the last
 * calls run, nothing is fed back). Vision placeholders are stop tokens too: a rollout that
 * samples one ends with {@link RolloutEnd#INVALID_TOKEN}.
 *
 * <p>Randomness: turn k's generation is seeded with the k-th long of a {@link SplittableRandom}
 * seeded with {@code seed}; within a turn, row b (the b-th still-active rollout) draws from the
 * b-th split of that seed. The same seed, example and weights give the same rollouts.
 *
 * <p>Lifecycle: build once per policy, call {@link #run} any number of times. Every turn's arrays
 * live in a sub-manager of the caller's manager that is closed before the tools run; the
 * returned rollouts hold Java arrays only. Not thread-safe (generation uses the engine).
 */
public final class RolloutRunner {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutRunner.class);

  private final Qwen25VlForConditionalGeneration model;
  private final Environment env;
  private final TurnSampler sampler;
  private final List<Integer> stopTokenIds;

  /** A runner that samples with {@link TurnSampler#generator()}. */
  public RolloutRunner(Qwen25VlForConditionalGeneration model, TextTokenizer tokenizer,
      Qwen2VlImageProcessor processor, ToolRegistry registry, RolloutConfig config) {
    this(model, tokenizer, processor, registry, config, TurnSampler.generator());
  }

  /**
   * @throws IllegalArgumentException when the tokenizer's {@code <|image_pad|>} is not the
   *     model's image token, or a marker is not a single token
   */
  public RolloutRunner(Qwen25VlForConditionalGeneration model, TextTokenizer tokenizer,
      Qwen2VlImageProcessor processor, ToolRegistry registry, RolloutConfig config,
      TurnSampler sampler) {
    this.model = model;
    SpecialTokens special = SpecialTokens.of(tokenizer);
    if (special.imagePad() != model.config().imageTokenId()) {
      throw new IllegalArgumentException("the tokenizer's <|image_pad|> is " + special.imagePad()
          + " but the model's image_token_id is " + model.config().imageTokenId());
    }
    this.env = new Environment(tokenizer, special, registry, processor, config);
    this.sampler = sampler;
    this.stopTokenIds = stopTokens(special, model.info());
  }

  public RolloutConfig config() {
    return env.config();
  }

  public SpecialTokens specialTokens() {
    return env.special();
  }

  /** The tokens that end a turn's generation. */
  public List<Integer> stopTokenIds() {
    return stopTokenIds;
  }

  /**
   * Samples {@code groupSize} rollouts of {@code example}.
   *
   * @param parent the manager whose sub-managers hold each turn's arrays
   * @throws RolloutInputException before anything is generated when an image of the example
   *     cannot be read or processed
   */
  public List<Rollout> run(VqaExample example, int groupSize, long seed, NDManager parent) {
    if (groupSize < 1) {
      throw new IllegalArgumentException("groupSize must be >= 1, got " + groupSize);
    }
    long start = System.nanoTime();
    List<BufferedImage> inputs = readImages(example);
    List<ProcessedImage> processed = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      processed.add(process(example, inputs.get(i), i));
    }
    TrajectoryBuilder prompt = new TrajectoryBuilder(env.tokenizer(), env.special());
    prompt.appendRendered(RolloutPrompts.initial(
        RolloutPrompts.userText(example, inputs, env.config().offerTools()), processed,
        env.config().systemPrompt(),
        env.config().offerTools() ? env.registry().definitions() : List.of()), TokenRole.PROMPT);
    List<RolloutState> states = new ArrayList<>();
    for (int i = 0; i < groupSize; i++) {
      states.add(new RolloutState(i, example, inputs, prompt, env));
    }
    SplittableRandom seeds = new SplittableRandom(seed);
    for (int turn = 0; turn < env.config().maxTurns(); turn++) {
      List<RolloutState> active = states.stream().filter(RolloutState::active).toList();
      if (active.isEmpty()) {
        break;
      }
      runTurn(active, seeds.nextLong(), parent);
    }
    List<Rollout> out = states.stream().map(RolloutState::finish).toList();
    LOG.debug("{} rollouts of {} in {} ms", groupSize, example.id(),
        (System.nanoTime() - start) / 1_000_000);
    return out;
  }

  /** Generates one turn for every active rollout, then lets each take its turn. */
  private void runTurn(List<RolloutState> active, long seed, NDManager parent) {
    GenerationResult result;
    try (NDManager turn = parent.newSubManager()) {
      ImageBatch batch = ImageBatch.of(active.stream().map(RolloutState::ids).toList(),
          active.stream().map(s -> s.images().stream().map(TrajectoryImage::image).toList())
              .toList(), env.special().endOfText(), turn);
      PrefillImageView view = new PrefillImageView(batch.bind(model), model);
      result = sampler.sample(view, batch.ids, batch.mask, generationConfig(seed));
    }
    for (int b = 0; b < active.size(); b++) {
      int n = result.newTokens()[b];
      active.get(b).applyTurn(result.newTokensOf(b), Arrays.copyOf(result.logprobs()[b], n),
          result.finishReasons().get(b));
    }
  }

  private GenerationConfig generationConfig(long seed) {
    RolloutConfig c = env.config();
    return GenerationConfig.builder().setMaxNewTokens(c.maxNewTokensPerTurn())
        .optTemperature(c.temperature()).optTopK(c.topK()).optTopP(c.topP()).optSeed(seed)
        .optStopTokenIds(stopTokenIds).optPadTokenId(env.special().endOfText())
        .optReturnLogprobs(true).build();
  }

  private static List<BufferedImage> readImages(VqaExample example) {
    try {
      return example.loadImages();
    } catch (ImageLoadException e) {
      throw new RolloutInputException(example, "cannot read its image: " + e.getMessage(), e);
    }
  }

  private ProcessedImage process(VqaExample example, BufferedImage image, int i) {
    try {
      return env.processor().process(image);
    } catch (IllegalArgumentException e) {
      throw new RolloutInputException(example, "cannot process image " + i + " ("
          + example.images().get(i) + "): " + e.getMessage(), e);
    }
  }

  private static List<Integer> stopTokens(SpecialTokens s, ModelInfo info) {
    Set<Integer> ids = new LinkedHashSet<>(List.of(s.toolCallClose(), s.imEnd(), s.endOfText(),
        s.imagePad(), s.videoPad()));
    for (int eos : info.eosTokenIds()) {
      if (eos >= 0 && eos < info.vocabSize()) {
        ids.add(eos);
      }
    }
    return List.copyOf(ids);
  }
}
