package ai.attune.models.adapters;

import ai.attune.core.params.ParameterStore;

/**
 * The plumbing every {@link Perturbable} layer shares: its HF name, its noise stream index (its
 * place among the perturbable layers of its store, fixed when it registers) and the perturbation in
 * effect. A subclass declares its parameters and says which kind it is, which parameter the
 * perturbation moves, and what its forward adds while a perturbation is set.
 *
 * <p>Lifecycle: the constructor registers the layer in its store (the store's modules keep
 * construction order, so stream indices are stable for a model class); {@link Perturbations#apply}
 * sets and clears the perturbation around a forward pass.
 */
public abstract class PerturbableLayer implements Perturbable {
  /** The layer's HF name ({@code model.layers.0.mlp.up_proj}). */
  protected final String name;

  /** The layer's noise stream index, or -1 when it is not registered. */
  protected final int streamIndex;

  private PerExamplePerturbation perturbation;

  /** A layer registered in {@code store}, its stream index its place among the perturbable ones. */
  protected PerturbableLayer(ParameterStore store, String name) {
    this.name = name;
    this.streamIndex = store.modules(Perturbable.class).size();
    store.register(this);
  }

  /** A layer that is not registered in a store (stream index -1): it is never perturbed. */
  protected PerturbableLayer(String name) {
    this.name = name;
    this.streamIndex = -1;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final int streamIndex() {
    return streamIndex;
  }

  @Override
  public final PerExamplePerturbation perturbation() {
    return perturbation;
  }

  @Override
  public final void setPerturbation(PerExamplePerturbation perturbation) {
    Perturbable.checkSettable(this, perturbation);
    this.perturbation = perturbation;
  }
}
