package ai.attune.models.adapters;

import static ai.attune.core.config.InvalidSettingException.positive;
import static ai.attune.core.config.InvalidSettingException.require;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * What LoRA adds to a model (Hu et al., 2021, "LoRA: Low-Rank Adaptation of Large Language
 * Models"), in PEFT's vocabulary, validated at construction. Bound by Jackson straight from IAPO's
 * {@code student.lora} section: its keys are {@code rank}, {@code alpha} and {@code targets}, their
 * defaults those of {@link #defaults}; the seed comes from the run ({@link #withInitSeed}).
 *
 * @param rank the rank r of each update {@code B A}; >= 1; default 8
 * @param alpha the update is scaled by {@code alpha / r}; > 0; default 16
 * @param targets the linear layers to adapt, as name suffixes matched on whole dotted components
 *     ({@code q_proj} matches {@code model.layers.0.self_attn.q_proj}), or the single entry {@value
 *     #ALL_LINEAR} for every registered linear layer except the output head; default [q_proj,
 *     k_proj, v_proj, o_proj]. Vision layers are adapted only when a target names them ({@code
 *     attn.qkv}); the language model's are what the defaults pick
 * @param initSeed the seed the {@code A} matrices are initialised from
 * @param init how {@code A} is initialised ({@code B} always starts at zero)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LoraConfig(
    int rank,
    float alpha,
    List<String> targets,
    @JsonIgnore long initSeed,
    @JsonIgnore LoraInit init) {
  /** The target that selects every linear layer except the output head. */
  public static final String ALL_LINEAR = "all-linear";

  /** Initialisation of the {@code A} matrices. */
  public enum LoraInit {
    /**
     * PEFT's default, {@code kaiming_uniform_(a=sqrt(5))}: uniform on {@code [-1/sqrt(in),
     * 1/sqrt(in))}.
     */
    KAIMING_UNIFORM,
    /** PEFT's {@code init_lora_weights="gaussian"}: normal with standard deviation {@code 1/r}. */
    GAUSSIAN
  }

  /**
   * Validates every field; an error is an {@link ai.attune.core.config.InvalidSettingException}
   * naming the key ({@code rank}).
   */
  public LoraConfig {
    positive(rank, "rank");
    positive(alpha, "alpha");
    require(targets != null && !targets.isEmpty(), "targets", "name at least one layer");
    for (String t : targets) {
      require(
          t != null && !t.isBlank() && !t.startsWith(".") && !t.endsWith("."),
          "targets",
          "'" + t + "' is not a layer name");
    }
    targets = List.copyOf(targets);
    require(
        !targets.contains(ALL_LINEAR) || targets.size() == 1,
        "targets",
        ALL_LINEAR + " cannot be combined with other targets: " + targets);
    require(init != null, "init", "required field is missing");
  }

  /** A config with PEFT's default initialisation ({@link LoraInit#KAIMING_UNIFORM}). */
  public LoraConfig(int rank, float alpha, List<String> targets, long initSeed) {
    this(rank, alpha, targets, initSeed, LoraInit.KAIMING_UNIFORM);
  }

  /** The settings a config file gives, seed 0 until the run supplies its own. */
  @JsonCreator
  static LoraConfig fromSettings(
      @JsonProperty("rank") int rank,
      @JsonProperty("alpha") float alpha,
      @JsonProperty("targets") List<String> targets) {
    return new LoraConfig(rank, alpha, targets, 0);
  }

  /** The defaults above, seed 0: rank 8, alpha 16, the four attention projections. */
  public static LoraConfig defaults() {
    return new LoraConfig(8, 16, List.of("q_proj", "k_proj", "v_proj", "o_proj"), 0);
  }

  /** A copy whose {@code A} matrices are initialised from {@code seed}. */
  public LoraConfig withInitSeed(long seed) {
    return new LoraConfig(rank, alpha, targets, seed, init);
  }

  /** The factor {@code alpha / r} the update {@code B A} is multiplied by. */
  public float scale() {
    return alpha / rank;
  }

  /** Whether the linear layer {@code layerName} is adapted. */
  public boolean targets(String layerName) {
    if (targets.get(0).equals(ALL_LINEAR)) {
      return !layerName.equals("lm_head") && !layerName.endsWith(".lm_head");
    }
    for (String t : targets) {
      if (layerName.equals(t) || layerName.endsWith("." + t)) {
        return true;
      }
    }
    return false;
  }
}
