package ai.attune.models.adapters;

import java.util.EnumSet;
import java.util.Set;

/** The kinds of layer a per-example perturbation can act on; each can be switched off. */
public enum PerturbationKind {
  /** Linear weights, through the flipout identity (biases are never perturbed). */
  LINEAR,
  /** LayerNorm and RMSNorm gains, as signed directions on the normalised input. */
  NORM,
  /** Embedding tables, row-sparse: only the rows of the batch's ids move. */
  EMBEDDING;

  /** Every kind. */
  public static Set<PerturbationKind> all() {
    return EnumSet.allOf(PerturbationKind.class);
  }
}
