package ai.attune.models.adapters;

import ai.attune.core.params.Parameter;

/**
 * A linear layer {@code y = x Wᵀ + b} that {@link Lora#apply} can adapt: once {@link LoraWeights}
 * are attached, its forward adds their (unmerged) update.
 */
public interface LoraTarget {
  /** The layer's HF name; the LoRA parameters are declared under it. */
  String name();

  int inFeatures();

  int outFeatures();

  /** The base weight W (out x in). */
  Parameter weight();

  /** The attached LoRA update, or null. */
  LoraWeights lora();

  /** Attaches {@code lora}; fails if the layer already has one. */
  void attachLora(LoraWeights lora);
}
