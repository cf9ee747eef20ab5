package ai.attune.models.generation;

import ai.attune.models.ModelInfo;
import java.util.List;
import java.util.Objects;

/**
 * How {@link Generator} decodes: how many tokens, how the next token is chosen, when a row stops.
 *
 * <p>The next token is chosen from the last position's logits after, in HF's order, temperature
 * scaling, top-k and top-p (nucleus) filtering; temperature 0 is greedy decoding (argmax) and
 * ignores top-k and top-p, which never remove the most likely token. Build one with {@link
 * #greedy}, {@link #sampling} or {@link #builder()}; validated at construction.
 *
 * @param maxNewTokens the most tokens to generate per row (at least 1)
 * @param temperature logits are divided by it before sampling; 0 means greedy decoding
 * @param topK keep only the {@code topK} most likely tokens (ties with the k-th kept); 0 = off
 * @param topP keep the smallest set of most likely tokens whose probability sums to at least {@code
 *     topP} (always at least one token); 1 = off
 * @param seed seeds the uniforms of every sampling step, so equal seeds give equal tokens
 * @param stopTokenIds a row that emits one of these ends (the token is kept); null means the
 *     model's end-of-sequence ids, an empty list means rows end only at {@code maxNewTokens}
 * @param padTokenId the token a finished row continues with; null means the model's pad id
 * @param returnLogprobs whether the result carries the chosen tokens' log-probabilities
 * @param rowSeeds null: row b samples from the b-th split of a generator seeded with {@code seed};
 *     else one seed per row, row b sampling from a generator seeded with {@code rowSeeds.get(b)},
 *     so that a row's tokens do not depend on which other rows share its batch (rollouts of several
 *     questions in one batch)
 */
public record GenerationConfig(
    int maxNewTokens,
    double temperature,
    int topK,
    double topP,
    long seed,
    List<Integer> stopTokenIds,
    Integer padTokenId,
    boolean returnLogprobs,
    List<Long> rowSeeds) {

  public GenerationConfig {
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be at least 1, got " + maxNewTokens);
    }
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException(
          "temperature must be finite and >= 0 (0 = greedy), got " + temperature);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1] (1 = off), got " + topP);
    }
    if (stopTokenIds != null) {
      stopTokenIds = List.copyOf(stopTokenIds); // also rejects null elements
      for (int id : stopTokenIds) {
        requireTokenId("stopTokenIds", id);
      }
    }
    if (padTokenId != null) {
      requireTokenId("padTokenId", padTokenId);
    }
    if (rowSeeds != null) {
      rowSeeds = List.copyOf(rowSeeds);
    }
  }

  /** Greedy decoding of up to {@code maxNewTokens} tokens, the model's stop and pad ids. */
  public static GenerationConfig greedy(int maxNewTokens) {
    return builder().setMaxNewTokens(maxNewTokens).build();
  }

  /** Plain sampling at {@code temperature} (no top-k or top-p), seeded. */
  public static GenerationConfig sampling(int maxNewTokens, double temperature, long seed) {
    return builder()
        .setMaxNewTokens(maxNewTokens)
        .optTemperature(temperature)
        .optSeed(seed)
        .build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this config's values. */
  public Builder toBuilder() {
    return new Builder()
        .setMaxNewTokens(maxNewTokens)
        .optTemperature(temperature)
        .optTopK(topK)
        .optTopP(topP)
        .optSeed(seed)
        .optStopTokenIds(stopTokenIds)
        .optPadTokenId(padTokenId)
        .optReturnLogprobs(returnLogprobs)
        .optRowSeeds(rowSeeds);
  }

  /** Whether tokens are chosen by argmax (temperature 0). */
  public boolean isGreedy() {
    return temperature == 0;
  }

  /**
   * The stop ids in force for {@code model}: the configured ones (each must be in the vocabulary),
   * or the model's end-of-sequence ids that lie in its vocabulary (a config may name an id its
   * vocabulary lacks, as HF's tiny test checkpoints do; such an id can never be generated, so it is
   * dropped).
   */
  public List<Integer> stopTokenIds(ModelInfo model) {
    if (stopTokenIds == null) {
      return model.eosTokenIds().stream().filter(id -> id >= 0 && id < model.vocabSize()).toList();
    }
    for (int id : stopTokenIds) {
      requireInVocab("stop token id", id, model);
    }
    return stopTokenIds;
  }

  /**
   * The pad id in force for {@code model}: the configured one (which must be in the vocabulary),
   * else the model's pad id; when the model has none in its vocabulary, its first stop id (HF's pad
   * = eos convention), else 0 (the pad only fills rows after they stop, and then no row can stop).
   */
  public int padTokenId(ModelInfo model) {
    if (padTokenId == null) {
      int id = model.padTokenId();
      if (id >= 0 && id < model.vocabSize()) {
        return id;
      }
      List<Integer> stops = stopTokenIds(model);
      return stops.isEmpty() ? 0 : stops.get(0);
    }
    requireTokenId("padTokenId (model " + model.modelType() + ")", padTokenId);
    requireInVocab("pad token id", padTokenId, model);
    return padTokenId;
  }

  private static void requireTokenId(String field, int id) {
    if (id < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, got " + id);
    }
  }

  private static void requireInVocab(String what, int id, ModelInfo model) {
    if (id >= model.vocabSize()) {
      throw new IllegalArgumentException(
          what
              + " "
              + id
              + " is outside the vocabulary of "
              + model.vocabSize()
              + " tokens of model "
              + model.modelType());
    }
  }

  /** Builds a {@link GenerationConfig}; {@code maxNewTokens} is required, the rest optional. */
  public static final class Builder {
    private Integer maxNewTokens;
    private double temperature;
    private int topK;
    private double topP = 1;
    private long seed;
    private List<Integer> stopTokenIds;
    private Integer padTokenId;
    private boolean returnLogprobs;
    private List<Long> rowSeeds;

    private Builder() {}

    public Builder setMaxNewTokens(int n) {
      this.maxNewTokens = n;
      return this;
    }

    /** Default 0 (greedy). */
    public Builder optTemperature(double t) {
      this.temperature = t;
      return this;
    }

    /** Default 0 (off). */
    public Builder optTopK(int k) {
      this.topK = k;
      return this;
    }

    /** Default 1 (off). */
    public Builder optTopP(double p) {
      this.topP = p;
      return this;
    }

    /** Default 0. */
    public Builder optSeed(long s) {
      this.seed = s;
      return this;
    }

    /** Default null: the model's end-of-sequence ids. */
    public Builder optStopTokenIds(List<Integer> ids) {
      this.stopTokenIds = ids;
      return this;
    }

    /** Default null: the model's pad id. */
    public Builder optPadTokenId(Integer id) {
      this.padTokenId = id;
      return this;
    }

    /** Default false. */
    public Builder optReturnLogprobs(boolean r) {
      this.returnLogprobs = r;
      return this;
    }

    /** Default null: every row's stream is split from {@code seed}. */
    public Builder optRowSeeds(List<Long> seeds) {
      this.rowSeeds = seeds;
      return this;
    }

    public GenerationConfig build() {
      Objects.requireNonNull(maxNewTokens, "maxNewTokens is required (setMaxNewTokens)");
      return new GenerationConfig(
          maxNewTokens,
          temperature,
          topK,
          topP,
          seed,
          stopTokenIds,
          padTokenId,
          returnLogprobs,
          rowSeeds);
    }
  }
}
