package ai.attune.models.adapters;

import ai.attune.core.params.Parameter;

/**
 * A layer that can carry a {@link PerExamplePerturbation} for its next forward passes.
 *
 * <p>Lifecycle: {@link Perturbations#apply} sets the perturbation on the selected layers of a model
 * and clears it when its handle closes; while set, every forward of the layer adds the perturbed
 * term of its kind and expects inputs with one leading row per perturbation row. A layer is not
 * thread-safe: one forward at a time per model.
 */
public interface Perturbable {
  /** The layer's HF name (its noise streams are keyed by it). */
  String name();

  /**
   * The layer's noise stream index: its place among the perturbable layers registered in its store
   * (see {@link PerturbationNoise}); -1 for a layer that is not registered.
   */
  int streamIndex();

  /** Which kind of perturbation the layer takes. */
  PerturbationKind perturbationKind();

  /**
   * The parameter the perturbation moves (linear weight, norm gain, embedding table), or null for a
   * layer that has none (a LayerNorm without affine gain), which cannot be perturbed.
   */
  Parameter perturbedParameter();

  /** The perturbation in effect, or null. */
  PerExamplePerturbation perturbation();

  /**
   * Sets the perturbation of the next forward passes, or clears it with null; fails if the
   * perturbation does not include this layer's kind or the layer has nothing to perturb.
   */
  void setPerturbation(PerExamplePerturbation perturbation);

  /**
   * Applies GRZO's update of this layer's perturbed parameter (the rule of its kind, beside the
   * perturbed term its forward adds): regenerates the step's noise and subtracts the scaled
   * coefficient-weighted direction; see {@link GroupUpdate}.
   */
  void applyGroupUpdate(GroupUpdate update);

  /** The checks every implementation of {@link #setPerturbation} makes. */
  static void checkSettable(Perturbable layer, PerExamplePerturbation p) {
    if (p == null) {
      return;
    }
    if (layer.perturbedParameter() == null) {
      throw new IllegalStateException("layer " + layer.name() + " has no parameter to perturb");
    }
    if (!p.includes(layer.perturbationKind())) {
      throw new IllegalArgumentException(
          "layer "
              + layer.name()
              + " is "
              + layer.perturbationKind()
              + " but the perturbation covers only "
              + p.kinds());
    }
  }
}
