package ai.attune.models;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.params.ParameterStore;
import java.util.Objects;

/**
 * The plumbing every model class shares: its parsed config, its compute dtype and the store its
 * layers declare their parameters in. A subclass builds its layers in its constructor (the store's
 * declaration order is the model's) and implements the forward of its interface ({@link CausalLM},
 * {@link HiddenStateLM}, {@link MaskedLM}).
 *
 * <p>Lifecycle: constructed with every parameter declared and none loaded ({@link Models#load}
 * fills them); closing the model ({@link LanguageModel#close}) closes the store and frees the
 * parameters.
 *
 * @param <C> the model's config type
 */
public abstract class BaseModel<C> implements LanguageModel {
  /** The model's config (from {@code config.json}). */
  protected final C config;

  /** The compute dtype of the forward. */
  protected final ComputeDtype dtype;

  /** The store the layers declare their parameters in. */
  protected final ParameterStore store;

  protected BaseModel(C config, ComputeDtype dtype, ParameterStore store) {
    this.config = Objects.requireNonNull(config, "config");
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    this.store = Objects.requireNonNull(store, "store");
  }

  /** The model's config. */
  public final C config() {
    return config;
  }

  @Override
  public final ParameterStore parameters() {
    return store;
  }

  @Override
  public final ComputeDtype dtype() {
    return dtype;
  }
}
