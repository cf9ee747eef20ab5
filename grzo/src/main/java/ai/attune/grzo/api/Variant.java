package ai.attune.grzo.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;

/**
 * A drop-in variant around the optimizer's core (grzo.md §3), as {@code optimizer.variant} in a
 * YAML config: {@link #none()} (the default), {@link #sparse}, {@link #lowRank} or {@link
 * #quantized}. Immutable.
 */
public final class Variant {
  private final String name;
  private final Consumer<ObjectNode> fields;

  private Variant(String name, Consumer<ObjectNode> fields) {
    this.name = name;
    this.fields = fields;
  }

  /** The core alone: Gaussian directions. */
  public static Variant none() {
    return new Variant("none", v -> {});
  }

  /**
   * Perturb and update only the fraction {@code keep} of each linear weight (smallest magnitudes).
   */
  public static Variant sparse(double keep) {
    return new Variant("sparse", v -> v.put("keep", keep));
  }

  /** Low-rank directions {@code U = u vᵀ / √rank}, v redrawn every {@code period} steps. */
  public static Variant lowRank(int rank, int period) {
    return new Variant("lowrank", v -> v.put("rank", rank).put("period", period));
  }

  /** Directions rounded to a symmetric per-tensor grid of {@code bits} bits. */
  public static Variant quantized(int bits) {
    return new Variant("quantized", v -> v.put("bits", bits));
  }

  /** Writes this variant into an {@code optimizer.variant} tree. */
  void writeTo(ObjectNode variant) {
    variant.put("name", name);
    fields.accept(variant);
  }

  @Override
  public String toString() {
    return name;
  }
}
