package ai.attune.core.params;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The named parameters of one model, in a fixed declaration order, with tied names handled once.
 *
 * <p>Lifecycle: a model declares each parameter under its HF name while it is built ({@link
 * #declare}), declares tied names as aliases of the parameter they share ({@link #tie}), then a
 * loader fills the values. The order of {@link #parameters()} is the declaration order; seeded
 * optimizers rely on it. Closing the store frees every value.
 *
 * <p>The store also keeps a registry of the layer objects (modules) built over it: a layer
 * registers itself when it is constructed ({@link #register}), so {@link #modules(Class)} lists
 * every layer of a given type in construction order without the model class having to expose them.
 * Adapters (per-example perturbations, LoRA) find the layers they act on this way.
 */
public final class ParameterStore implements AutoCloseable {
  private final NDManager manager;
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final Map<String, String> aliases = new LinkedHashMap<>();
  private final List<Object> modules = new ArrayList<>();
  private final Set<Object> registered = Collections.newSetFromMap(new IdentityHashMap<>());

  /** A store whose values live in a new sub-manager of {@code parent}. */
  public ParameterStore(NDManager parent) {
    this.manager = parent.newSubManager();
    this.manager.setName("parameters");
  }

  /** The manager that owns every parameter value. */
  public NDManager manager() {
    return manager;
  }

  /** Declares a trainable parameter; names must be unique. */
  public Parameter declare(String name, Shape shape, ParamKind kind) {
    if (parameters.containsKey(name) || aliases.containsKey(name)) {
      throw new IllegalArgumentException("parameter declared twice: " + name);
    }
    Parameter p = new Parameter(name, shape, kind, true);
    parameters.put(name, p);
    return p;
  }

  /** Declares {@code alias} as another name of the already declared {@code target}. */
  public Parameter tie(String alias, String target) {
    Parameter p = get(target);
    if (parameters.containsKey(alias) || aliases.containsKey(alias)) {
      throw new IllegalArgumentException("tied name already declared: " + alias);
    }
    aliases.put(alias, target);
    return p;
  }

  /** Unique parameters in declaration order (aliases excluded). */
  public Map<String, Parameter> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  /** Alias name to the name of the parameter it shares. */
  public Map<String, String> aliases() {
    return Collections.unmodifiableMap(aliases);
  }

  /** The parameter of this name or alias; fails naming it. */
  public Parameter get(String name) {
    return find(name).orElseThrow(() -> new IllegalArgumentException("no parameter named " + name));
  }

  /** The parameter of this name or alias, if declared. */
  public Optional<Parameter> find(String name) {
    String resolved = aliases.getOrDefault(name, name);
    return Optional.ofNullable(parameters.get(resolved));
  }

  /**
   * Registers a layer built over this store; layers call this from their constructor. The same
   * object cannot be registered twice.
   */
  public void register(Object module) {
    if (module == null) {
      throw new IllegalArgumentException("cannot register a null module");
    }
    if (!registered.add(module)) {
      throw new IllegalArgumentException("module registered twice: " + module);
    }
    modules.add(module);
  }

  /** The registered modules that are instances of {@code type}, in registration order. */
  public <T> List<T> modules(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Object m : modules) {
      if (type.isInstance(m)) {
        out.add(type.cast(m));
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Total number of scalar values over unique parameters. */
  public long numel() {
    return parameters.values().stream().mapToLong(p -> p.shape().size()).sum();
  }

  @Override
  public void close() {
    manager.close();
  }
}
