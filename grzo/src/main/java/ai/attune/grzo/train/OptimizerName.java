package ai.attune.grzo.train;

/** The zeroth-order optimizer a run trains with ({@code optimizer.name}). */
public enum OptimizerName {
  /** MeZO (Malladi et al., 2023): one Gaussian direction per step for the whole batch. */
  MEZO,
  /** GRZO (Tan et al., 2026): one pseudo-independent direction per example, group-normalised. */
  GRZO
}
