package ai.attune.iapo.optim;

import ai.attune.core.params.Parameter;
import ai.attune.core.params.ParameterStore;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * AdamW over our own {@link Parameter}s (DJL's optimizers update DJL blocks, not these), with
 * PyTorch's update rule: decoupled weight decay {@code w -= lr·λ·w} (only for kinds that {@link
 * ai.attune.core.params.ParamKind#decays()}), moments {@code m = β1 m + (1-β1) g}, {@code v = β2
 * v + (1-β2) g²}, then {@code w -= lr/(1-β1^t) · m / (sqrt(v)/sqrt(1-β2^t) + ε)}. Gradients are
 * first clipped by their global L2 norm when {@link AdamWConfig#clips()}.
 *
 * <p>Master weights: a float32 parameter is updated in place (its storage, through a detached
 * view, so the array the model reads stays the same); any other type (float16 on a GPU) keeps a
 * float32 master copy here, which is updated and then cast into a fresh model copy that requires
 * a gradient. Moments are float32.
 *
 * <p>Lifecycle: construct over the parameters to train (each is marked as requiring a gradient
 * and its moments, zeros, are allocated in a sub-manager of the parameters' manager); per step:
 * {@link #zeroGradients()}, forward and backward under a {@code GradientCollector}, {@link
 * #step()}; {@link #save}/{@link #load} the state for checkpoints; {@link #close()} frees it.
 * Every temporary of a step lives in a sub-manager closed before the step returns. Not
 * thread-safe.
 */
public final class AdamW implements AutoCloseable {
  private final AdamWConfig config;
  private final List<Slot> slots = new ArrayList<>();
  private final Map<Parameter, Slot> byParameter = new IdentityHashMap<>();
  private final NDManager state;
  private long step;
  private double lr;

  /** The state of one parameter. */
  static final class Slot {
    final Parameter parameter;
    NDArray master; // null when the parameter itself is the float32 master
    NDArray expAvg;
    NDArray expAvgSq;

    Slot(Parameter parameter) {
      this.parameter = parameter;
    }
  }

  /**
   * An optimizer over {@code parameters} (each loaded, listed once), its state in a sub-manager
   * of {@code parent}.
   */
  public AdamW(List<Parameter> parameters, NDManager parent, AdamWConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.lr = config.lr();
    if (parameters.isEmpty()) {
      throw new IllegalArgumentException("AdamW needs at least one parameter to train");
    }
    this.state = parent.newSubManager();
    state.setName("adamw");
    for (Parameter p : parameters) {
      if (byParameter.containsKey(p)) {
        throw new IllegalArgumentException("parameter listed twice: " + p.name());
      }
      Slot s = new Slot(p);
      NDArray value = p.value();
      if (value.getDataType() != DataType.FLOAT32) {
        s.master = value.toType(DataType.FLOAT32, true);
        s.master.attach(state);
      }
      s.expAvg = state.zeros(p.shape(), DataType.FLOAT32);
      s.expAvgSq = state.zeros(p.shape(), DataType.FLOAT32);
      if (!value.hasGradient()) {
        value.setRequiresGradient(true);
      }
      slots.add(s);
      byParameter.put(p, s);
    }
  }

  /** An optimizer over the trainable parameters of {@code store}, in declaration order. */
  public static AdamW overTrainable(ParameterStore store, AdamWConfig config) {
    List<Parameter> trainable = store.parameters().values().stream()
        .filter(Parameter::trainable).toList();
    if (trainable.isEmpty()) {
      throw new IllegalArgumentException("the store has no trainable parameter");
    }
    return new AdamW(trainable, store.manager(), config);
  }

  public AdamWConfig config() {
    return config;
  }

  /** The parameters, in update order. */
  public List<Parameter> parameters() {
    return slots.stream().map(s -> s.parameter).toList();
  }

  /** The learning rate of the next step: {@link AdamWConfig#lr()} unless a schedule set it. */
  public double learningRate() {
    return lr;
  }

  /**
   * Sets the learning rate of the following steps (a schedule's job); the weight decay factor
   * {@code 1 - lr·λ} follows it, as in PyTorch.
   */
  public void setLearningRate(double lr) {
    if (!(lr >= 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
    }
    this.lr = lr;
  }

  /** Steps taken so far (the t of the bias corrections). */
  public long stepCount() {
    return step;
  }

  /** What one step did. */
  public record StepStats(long step, double gradNorm, double clipCoefficient) {}

  /**
   * One update from the gradients autograd left on the parameters ({@code value.getGradient()});
   * a parameter that got none counts as a zero gradient.
   *
   * @throws IllegalStateException if the global gradient norm is not finite (nothing is changed)
   */
  public StepStats step() {
    try (NDManager s = state.newSubManager()) {
      List<NDArray> grads = new ArrayList<>(slots.size());
      for (Slot slot : slots) {
        NDArray g = slot.parameter.value().getGradient();
        g.attach(s);
        grads.add(g);
      }
      return update(grads, s);
    }
  }

  /**
   * One update from explicit gradients (the caller's arrays, not modified); a parameter missing
   * from the map is skipped entirely (no decay, no moment update), as PyTorch skips a parameter
   * whose gradient is None.
   */
  public StepStats step(Map<Parameter, NDArray> gradients) {
    for (Parameter p : gradients.keySet()) {
      if (!byParameter.containsKey(p)) {
        throw new IllegalArgumentException("gradient for " + p.name()
            + ", which this optimizer does not train");
      }
    }
    try (NDManager s = state.newSubManager()) {
      List<NDArray> grads = new ArrayList<>(slots.size());
      for (Slot slot : slots) {
        NDArray g = gradients.get(slot.parameter);
        if (g != null && !g.getShape().equals(slot.parameter.shape())) {
          throw new IllegalArgumentException("gradient of " + slot.parameter.name() + " has shape "
              + g.getShape() + ", expected " + slot.parameter.shape());
        }
        grads.add(g);
      }
      return update(grads, s);
    }
  }

  private StepStats update(List<NDArray> grads, NDManager s) {
    List<NDArray> g32 = new ArrayList<>(grads.size());
    for (NDArray g : grads) {
      g32.add(g == null ? null : float32Copy(g, s));
    }
    double norm = globalNorm(g32, s);
    if (!Double.isFinite(norm)) {
      throw new IllegalStateException("gradient norm is " + norm + " at step " + (step + 1)
          + "; no parameter was changed");
    }
    double coef = config.clips() ? Math.min(1.0, config.maxGradNorm() / (norm + 1e-6)) : 1.0;
    step++;
    double bc1 = 1 - Math.pow(config.beta1(), step);
    double bc2 = 1 - Math.pow(config.beta2(), step);
    for (int i = 0; i < slots.size(); i++) {
      if (g32.get(i) != null) {
        NDArray g = coef < 1 ? g32.get(i).muli(coef) : g32.get(i);
        apply(slots.get(i), g, bc1, bc2, s);
      }
    }
    return new StepStats(step, norm, coef);
  }

  private void apply(Slot slot, NDArray g, double bc1, double bc2, NDManager s) {
    Parameter p = slot.parameter;
    NDArray w = slot.master != null ? slot.master : local(p.value().stopGradient(), s);
    if (p.kind().decays() && config.weightDecay() > 0) {
      w.muli(1 - lr * config.weightDecay());
    }
    slot.expAvg.muli(config.beta1()).addi(g.mul(1 - config.beta1()));
    slot.expAvgSq.muli(config.beta2()).addi(g.mul(g).muli(1 - config.beta2()));
    NDArray denom = local(slot.expAvgSq.sqrt(), s).divi(Math.sqrt(bc2)).addi(config.eps());
    NDArray delta = local(slot.expAvg.div(denom), s).muli(lr / bc1);
    w.subi(delta);
    if (slot.master != null) {
      refreshModelCopy(slot);
    }
  }

  /** Casts the master into a fresh model copy in the parameter's own manager. */
  private static void refreshModelCopy(Slot slot) {
    NDArray old = slot.parameter.value();
    NDArray copy = slot.master.toType(old.getDataType(), true);
    copy.attach(old.getManager());
    copy.setRequiresGradient(true);
    slot.parameter.set(copy);
  }

  /**
   * Sets every parameter's gradient to zero in place (autograd adds into it), the way to start a
   * step; {@code GradientCollector.zeroGradients} would walk every array of the process instead.
   */
  public void zeroGradients() {
    try (NDManager s = state.newSubManager()) {
      for (Slot slot : slots) {
        NDArray g = slot.parameter.value().getGradient();
        g.attach(s);
        g.set(new NDIndex("..."), 0f);
      }
    }
  }

  /**
   * Writes the state as safetensors: per parameter {@code <name>.exp_avg} and {@code
   * <name>.exp_avg_sq}, {@code <name>.master} when the master is separate (float32, the
   * parameter's shape), and the metadata {@code optimizer=adamw}, {@code step=<t>}.
   */
  public void save(Path file) {
    AdamWState.save(file, slots, step);
  }

  /**
   * Replaces the state with one {@link #save} wrote for the same parameters.
   *
   * @throws ai.attune.core.safetensors.SafetensorsException naming the file and tensor when a
   *     tensor is missing, has another shape, or belongs to no parameter of this optimizer
   */
  public void load(Path file) {
    step = AdamWState.load(file, slots, state);
  }

  /** Frees the moments and masters; the parameters stay. */
  @Override
  public void close() {
    state.close();
  }

  /** √(Σ ‖g‖²) over the gradients present, read back once. */
  static double globalNorm(List<NDArray> grads, NDManager s) {
    List<NDArray> squares = new ArrayList<>();
    for (NDArray g : grads) {
      if (g != null) {
        squares.add(g.mul(g).sum().reshape(1));
      }
    }
    if (squares.isEmpty()) {
      return 0;
    }
    NDArray total = NDArrays.concat(new NDList(squares)).toType(DataType.FLOAT64, false).sum();
    return Math.sqrt(local(total, s).getDouble());
  }

  private static NDArray float32Copy(NDArray g, NDManager s) {
    return local(g.toType(DataType.FLOAT32, true), s);
  }

  /** Moves an op's result (made in its first operand's manager) into the step manager. */
  private static NDArray local(NDArray a, NDManager s) {
    a.attach(s);
    return a;
  }
}
