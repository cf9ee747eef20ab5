package ai.attune.models.adapters;

import java.util.List;

/**
 * What LoRA adds to a model (Hu et al., 2021, "LoRA: Low-Rank Adaptation of Large Language
 * Models"), with PEFT's defaults and vocabulary.
 *
 * @param rank the rank r of each update {@code B A} (>= 1)
 * @param alpha the scaling numerator: the update is multiplied by {@code alpha / r} (> 0)
 * @param targets the linear layers to adapt, as name suffixes matched on whole dotted components
 *     ({@code "q_proj"} matches {@code model.layers.0.self_attn.q_proj}), or the single entry
 *     {@value #ALL_LINEAR} for every registered linear layer except the output head
 * @param initSeed the seed the {@code A} matrices are initialised from
 * @param init how {@code A} is initialised ({@code B} always starts at zero)
 */
public record LoraConfig(
    int rank, float alpha, List<String> targets, long initSeed, LoraInit init) {
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

  /** Validates every field. */
  public LoraConfig {
    if (rank < 1) {
      throw new IllegalArgumentException("lora rank must be >= 1, got " + rank);
    }
    if (!(alpha > 0) || !Float.isFinite(alpha)) {
      throw new IllegalArgumentException("lora alpha must be finite and > 0, got " + alpha);
    }
    if (targets == null || targets.isEmpty()) {
      throw new IllegalArgumentException("lora targets must name at least one module");
    }
    targets = List.copyOf(targets);
    for (String t : targets) {
      if (t.isBlank() || t.startsWith(".") || t.endsWith(".")) {
        throw new IllegalArgumentException("lora target '" + t + "' is not a module name");
      }
    }
    if (targets.contains(ALL_LINEAR) && targets.size() > 1) {
      throw new IllegalArgumentException(
          "lora target " + ALL_LINEAR + " cannot be combined with other targets: " + targets);
    }
    if (init == null) {
      throw new IllegalArgumentException("lora init must be set");
    }
  }

  /** A config with PEFT's default initialisation ({@link LoraInit#KAIMING_UNIFORM}). */
  public LoraConfig(int rank, float alpha, List<String> targets, long initSeed) {
    this(rank, alpha, targets, initSeed, LoraInit.KAIMING_UNIFORM);
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
