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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples groups of multi-turn tool-using rollouts from a Qwen2.5-VL policy.
 *
 * <p>{@link #runAll} starts G rollouts of each given question from its prompt (system turn with the
 * tool definitions, the example's images and question) and generates every turn of all still-active
 * rollouts of all questions as the rows of one batch: the {@link TurnEngine} generates until {@code
 * </tool_call>}, {@code <|im_end|>}, an end-of-text token or the turn's token limit. The default
 * engine keeps one KV cache across the turns and feeds each row only what it appended since ({@link
 * CachedTurns}); a runner built with a {@link TurnSampler} feeds every row's whole sequence again
 * each turn ({@link RepromptTurns}). Each row's new text is then parsed and its tool calls executed
 * through the {@link ToolRegistry}: a malformed call, an unknown tool, bad arguments, a tool that
 * throws or returns an image the model cannot take all become an error result fed back, never an
 * exception. The results (text, and images processed for the next turn) are appended as a {@code
 * <tool_response>} user turn plus the next generation prompt. A turn without a tool call ends the
 * rollout ({@link RolloutEnd#FINAL_ANSWER} or {@link RolloutEnd#NO_TOOL_CALL}), as does the turn
 * limit ({@link RolloutEnd#TURN_LIMIT}: the last calls run, nothing is fed back). Vision
 * placeholders are stop tokens too: a rollout that samples one ends with {@link
 * RolloutEnd#INVALID_TOKEN}.
 *
 * <p>Randomness: rollout i of a question with seed s draws turn k's uniforms from a generator
 * seeded with {@code derive(s, k, i)}, whatever else shares its batch: the same seed, example and
 * weights give the same rollouts alone or batched with other questions, with either engine.
 *
 * <p>Lifecycle: build once per policy, call {@link #runAll} any number of times. Every array lives
 * in sub-managers of the caller's manager closed before it returns; the returned rollouts hold Java
 * arrays only. Not thread-safe (generation uses the engine).
 */
public final class RolloutRunner {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutRunner.class);

  private final Qwen25VlForConditionalGeneration model;
  private final Environment env;
  private final TurnSampler sampler; // null: CachedTurns
  private final List<Integer> stopTokenIds;
  private long generationNanos;

  /** A runner that keeps the KV cache across turns ({@link CachedTurns}). */
  public RolloutRunner(
      Qwen25VlForConditionalGeneration model,
      TextTokenizer tokenizer,
      Qwen2VlImageProcessor processor,
      ToolRegistry registry,
      RolloutConfig config) {
    this(model, tokenizer, processor, registry, config, null);
  }

  /**
   * A runner that feeds each rollout's whole sequence to {@code sampler} every turn (null: the
   * cached default).
   *
   * @throws IllegalArgumentException when the tokenizer's {@code <|image_pad|>} is not the model's
   *     image token, or a marker is not a single token
   */
  public RolloutRunner(
      Qwen25VlForConditionalGeneration model,
      TextTokenizer tokenizer,
      Qwen2VlImageProcessor processor,
      ToolRegistry registry,
      RolloutConfig config,
      TurnSampler sampler) {
    this(
        model,
        new Environment(tokenizer, SpecialTokens.of(tokenizer), registry, processor, config),
        sampler,
        null);
  }

  private RolloutRunner(
      Qwen25VlForConditionalGeneration model,
      Environment env,
      TurnSampler sampler,
      List<Integer> stopTokenIds) {
    this.model = model;
    if (env.special().imagePad() != model.config().imageTokenId()) {
      throw new IllegalArgumentException(
          "the tokenizer's <|image_pad|> is "
              + env.special().imagePad()
              + " but the model's image_token_id is "
              + model.config().imageTokenId());
    }
    this.env = env;
    this.sampler = sampler;
    this.stopTokenIds =
        stopTokenIds != null ? List.copyOf(stopTokenIds) : stopTokens(env.special(), model.info());
  }

  /**
   * This runner with turns that stop only on {@code ids} (a benchmark's turns of a fixed length
   * stop only on the vision placeholders).
   */
  public RolloutRunner withStopTokens(List<Integer> ids) {
    return new RolloutRunner(model, env, sampler, ids);
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

  /** Nanoseconds spent generating (the engine's turns) since this runner was built. */
  public long generationNanos() {
    return generationNanos;
  }

  /**
   * Samples {@code groupSize} rollouts of {@code example}: {@link #runAll} of one question.
   *
   * @param parent the manager whose sub-managers hold each turn's arrays
   * @throws RolloutInputException before anything is generated when an image of the example cannot
   *     be read or processed
   */
  public List<Rollout> run(VqaExample example, int groupSize, long seed, NDManager parent) {
    return runAll(List.of(example), groupSize, new long[] {seed}, parent).get(0);
  }

  /**
   * Samples {@code groupSize} rollouts of each example, all in one batch per turn.
   *
   * @param seeds one seed per example
   * @return per example, its rollouts in order
   * @throws RolloutInputException before anything is generated when an image of an example cannot
   *     be read or processed
   */
  public List<List<Rollout>> runAll(
      List<VqaExample> examples, int groupSize, long[] seeds, NDManager parent) {
    if (groupSize < 1) {
      throw new IllegalArgumentException("groupSize must be >= 1, got " + groupSize);
    }
    if (seeds.length != examples.size()) {
      throw new IllegalArgumentException(
          seeds.length + " seeds for " + examples.size() + " examples");
    }
    long start = System.nanoTime();
    List<List<RolloutState>> groups = new ArrayList<>();
    for (int e = 0; e < examples.size(); e++) {
      groups.add(start(examples.get(e), groupSize, seeds[e]));
    }
    List<RolloutState> states = groups.stream().flatMap(List::stream).toList();
    try (TurnEngine engine =
        sampler == null
            ? new CachedTurns(model, env.special().endOfText())
            : new RepromptTurns(model, sampler, env.special().endOfText())) {
      for (int turn = 0; turn < env.config().maxTurns(); turn++) {
        List<RolloutState> active = states.stream().filter(RolloutState::active).toList();
        if (active.isEmpty()) {
          break;
        }
        runTurn(engine, turn, active, parent);
      }
    }
    List<List<Rollout>> out =
        groups.stream().map(g -> g.stream().map(RolloutState::finish).toList()).toList();
    LOG.debug(
        "{} x {} rollouts in {} ms",
        examples.size(),
        groupSize,
        (System.nanoTime() - start) / 1_000_000);
    return out;
  }

  /** The G rollout states of one example, at its prompt. */
  private List<RolloutState> start(VqaExample example, int groupSize, long seed) {
    List<BufferedImage> inputs = readImages(example);
    List<ProcessedImage> processed = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      processed.add(process(example, inputs.get(i), i));
    }
    TrajectoryBuilder prompt = new TrajectoryBuilder(env.tokenizer(), env.special());
    prompt.appendRendered(
        RolloutPrompts.initial(
            RolloutPrompts.userText(example, inputs, env.config().offerTools()),
            processed,
            env.config().systemPrompt(),
            env.config().offerTools() ? env.registry().definitions() : List.of()),
        TokenRole.PROMPT);
    List<RolloutState> states = new ArrayList<>();
    for (int i = 0; i < groupSize; i++) {
      states.add(new RolloutState(i, seed, example, inputs, prompt, env));
    }
    return states;
  }

  /** Generates one turn for every active rollout, then lets each take its turn. */
  private void runTurn(TurnEngine engine, int turn, List<RolloutState> active, NDManager parent) {
    List<Long> rowSeeds = active.stream().map(s -> s.turnSeed(turn)).toList();
    long t0 = System.nanoTime();
    GenerationResult result = engine.generate(active, generationConfig(rowSeeds), parent);
    generationNanos += System.nanoTime() - t0;
    for (int b = 0; b < active.size(); b++) {
      int n = result.newTokens()[b];
      active
          .get(b)
          .applyTurn(
              result.newTokensOf(b),
              Arrays.copyOf(result.logprobs()[b], n),
              result.finishReasons().get(b));
    }
  }

  private GenerationConfig generationConfig(List<Long> rowSeeds) {
    RolloutConfig c = env.config();
    return GenerationConfig.builder()
        .setMaxNewTokens(c.maxNewTokensPerTurn())
        .optTemperature(c.temperature())
        .optTopK(c.topK())
        .optTopP(c.topP())
        .optRowSeeds(rowSeeds)
        .optStopTokenIds(stopTokenIds)
        .optPadTokenId(env.special().endOfText())
        .optReturnLogprobs(true)
        .build();
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
      throw new RolloutInputException(
          example,
          "cannot process image " + i + " (" + example.images().get(i) + "): " + e.getMessage(),
          e);
    }
  }

  private static List<Integer> stopTokens(SpecialTokens s, ModelInfo info) {
    Set<Integer> ids =
        new LinkedHashSet<>(
            List.of(s.toolCallClose(), s.imEnd(), s.endOfText(), s.imagePad(), s.videoPad()));
    for (int eos : info.eosTokenIds()) {
      if (eos >= 0 && eos < info.vocabSize()) {
        ids.add(eos);
      }
    }
    return List.copyOf(ids);
  }
}
