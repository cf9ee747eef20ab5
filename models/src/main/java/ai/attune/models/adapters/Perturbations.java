package ai.attune.models.adapters;

import ai.attune.core.params.Parameter;
import ai.attune.core.params.ParameterStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Sets a {@link PerExamplePerturbation} on the layers of a model for a scope:
 *
 * <pre>{@code
 * try (var p = Perturbations.apply(model.parameters(), perturbation)) {
 *   logits = model.forward(ids, mask, null);
 * }
 * }</pre>
 *
 * <p>The layers are the {@link Perturbable} modules registered in the store whose kind the
 * perturbation includes and that have a parameter to perturb. By default only layers whose
 * parameter is trainable and not tied to another name are perturbed: the output head is frozen by
 * default and so is the embedding tied to it (the tied head itself is not registered). The handle
 * lists the layers it perturbed, so an optimizer updates exactly those, and clears them when closed
 * so that a perturbation never leaks into the next pass.
 */
public final class Perturbations {
  private Perturbations() {}

  /** Perturbs the default selection: trainable, untied layers of the perturbation's kinds. */
  public static AppliedPerturbation apply(ParameterStore store, PerExamplePerturbation p) {
    Set<String> tied = new HashSet<>(store.aliases().values());
    return apply(
        store,
        p,
        layer ->
            layer.perturbedParameter().trainable()
                && !tied.contains(layer.perturbedParameter().name()));
  }

  /**
   * Perturbs the layers of the perturbation's kinds that {@code select} accepts (for instance
   * {@code layer -> true} to perturb the frozen base weights of a LoRA model).
   *
   * @throws IllegalStateException if no layer is selected, or one already carries a perturbation
   *     (close the previous handle first)
   */
  public static AppliedPerturbation apply(
      ParameterStore store, PerExamplePerturbation p, Predicate<Perturbable> select) {
    List<Perturbable> chosen = new ArrayList<>();
    for (Perturbable layer : store.modules(Perturbable.class)) {
      Parameter param = layer.perturbedParameter();
      if (param != null && p.includes(layer.perturbationKind()) && select.test(layer)) {
        if (layer.perturbation() != null) {
          throw new IllegalStateException(
              "layer "
                  + layer.name()
                  + " already carries a perturbation: close the previous one first");
        }
        chosen.add(layer);
      }
    }
    if (chosen.isEmpty()) {
      throw new IllegalStateException(
          "no registered layer of kinds "
              + p.kinds()
              + " is selected for perturbation (frozen or tied parameters are skipped by default)");
    }
    for (Perturbable layer : chosen) {
      layer.setPerturbation(p);
    }
    return new AppliedPerturbation(p, chosen);
  }

  /** The perturbation in effect on a set of layers; closing it clears them. */
  public static final class AppliedPerturbation implements AutoCloseable {
    private final PerExamplePerturbation perturbation;
    private final List<Perturbable> layers;
    private boolean closed;

    private AppliedPerturbation(PerExamplePerturbation perturbation, List<Perturbable> layers) {
      this.perturbation = perturbation;
      this.layers = List.copyOf(layers);
    }

    public PerExamplePerturbation perturbation() {
      return perturbation;
    }

    /** The perturbed layers, in registration order. */
    public List<Perturbable> layers() {
      return layers;
    }

    /** Clears the perturbation from every layer it was set on; closing twice is harmless. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      for (Perturbable layer : layers) {
        if (layer.perturbation() == perturbation) {
          layer.setPerturbation(null);
        }
      }
    }
  }
}
