package ai.attune.core.optim;

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
import java.util.Optional;
import java.util.function.Function;

/**
 * AdamW over our own {@link Parameter}s (DJL's optimizers update DJL blocks, not these), with
 * PyTorch's update rule: decoupled weight decay {@code w -= lr·λ·w} (only for kinds that {@link
 * ai.attune.core.params.ParamKind#decays()}), moments {@code m = β1 m + (1-β1) g}, {@code v = β2 v
 * + (1-β2) g²}, then {@code w -= lr/(1-β1^t) · m / (sqrt(v)/sqrt(1-β2^t) + ε)}. Gradients are first
 * clipped by their global L2 norm when {@link AdamWConfig#clips()}.
 *
 * <p>Master weights: a float32 parameter is updated in place (its storage, through a detached view,
 * so the array the model reads stays the same); any other type (float16 on a GPU) keeps a float32
 * master copy here, which is updated and then cast into a fresh model copy that requires a
 * gradient. Moments are float32.
 *
 * <p>Memory: a step walks the parameters twice (global norm, then update), each parameter in its
 * own sub-manager, so at most one parameter's float32 gradient copy and update temporaries exist at
 * a time, never a float32 copy of every gradient. For float16 training {@link #stepUnscaling}
 * divides by the loss scale and reports an inf/NaN gradient instead of applying it ({@link
 * DynamicLossScaler}).
 *
 * <p>Lifecycle: construct over the parameters to train (each is marked as requiring a gradient and
 * its moments, zeros, are allocated in a sub-manager of the parameters' manager); per step: {@link
 * #zeroGradients()}, forward and backward under a {@code GradientCollector}, {@link #step()};
 * {@link #save}/{@link #load} the state for checkpoints; {@link #close()} frees it. Every temporary
 * of a step lives in a sub-manager closed before the step returns. Not thread-safe.
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
   * An optimizer over {@code parameters} (each loaded, listed once), its state in a sub-manager of
   * {@code parent}.
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
    List<Parameter> trainable =
        store.parameters().values().stream().filter(Parameter::trainable).toList();
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
   * One update from the gradients autograd left on the parameters ({@code value.getGradient()}); a
   * parameter that got none counts as a zero gradient.
   *
   * @throws IllegalStateException if the global gradient norm is not finite (nothing is changed)
   */
  public StepStats step() {
    return stepUnscaling(1.0).orElseThrow(() -> nonFinite(Double.NaN));
  }

  /**
   * One update from the gradients autograd left on the parameters, divided by {@code gradScale}
   * first (the loss scale of float16 training: the loss was multiplied by it before backward), or
   * none when the unscaled gradients hold an inf or NaN: then nothing is changed and empty is
   * returned, for a loss scaler to back off and skip the step.
   */
  public Optional<StepStats> stepUnscaling(double gradScale) {
    if (!(gradScale > 0) || Double.isInfinite(gradScale)) {
      throw new IllegalArgumentException("gradient scale must be finite and > 0, got " + gradScale);
    }
    return update(slot -> slot.parameter.value().getGradient(), true, 1.0 / gradScale);
  }

  /**
   * One update from explicit gradients (the caller's arrays, not modified); a parameter missing
   * from the map is skipped entirely (no decay, no moment update), as PyTorch skips a parameter
   * whose gradient is None.
   */
  public StepStats step(Map<Parameter, NDArray> gradients) {
    for (Parameter p : gradients.keySet()) {
      if (!byParameter.containsKey(p)) {
        throw new IllegalArgumentException(
            "gradient for " + p.name() + ", which this optimizer does not train");
      }
    }
    for (Slot slot : slots) {
      NDArray g = gradients.get(slot.parameter);
      if (g != null && !g.getShape().equals(slot.parameter.shape())) {
        throw new IllegalArgumentException(
            "gradient of "
                + slot.parameter.name()
                + " has shape "
                + g.getShape()
                + ", expected "
                + slot.parameter.shape());
      }
    }
    return update(slot -> gradients.get(slot.parameter), false, 1.0)
        .orElseThrow(() -> nonFinite(Double.NaN));
  }

  private IllegalStateException nonFinite(double norm) {
    return new IllegalStateException(
        "gradient norm is "
            + (Double.isNaN(norm) ? "not finite" : norm)
            + " at step "
            + (step + 1)
            + "; no parameter was changed");
  }

  /**
   * Two passes over the parameters, each parameter inside its own sub-manager: the squared norm of
   * its float32 gradient, then (norm finite) its update. At most one parameter's float32 gradient
   * copy and temporaries exist at any time, never a float32 copy of every gradient.
   */
  private Optional<StepStats> update(
      Function<Slot, NDArray> gradient, boolean own, double unscale) {
    double norm = Math.sqrt(sumOfSquares(gradient, own)) * unscale;
    if (!Double.isFinite(norm)) {
      return Optional.empty();
    }
    double coef = config.clips() ? Math.min(1.0, config.maxGradNorm() / (norm + 1e-6)) : 1.0;
    step++;
    double bc1 = 1 - Math.pow(config.beta1(), step);
    double bc2 = 1 - Math.pow(config.beta2(), step);
    double factor = coef * unscale;
    for (Slot slot : slots) {
      try (NDManager s = state.newSubManager()) {
        NDArray g = gradient(gradient, slot, own, s);
        if (g != null) {
          NDArray g32 = float32(g, slot, s);
          apply(slot, factor == 1 ? g32 : g32.muli(factor), bc1, bc2, s);
        }
      }
    }
    return Optional.of(new StepStats(step, norm, coef));
  }

  /** The slot's gradient; a parameter's own gradient handle is closed with {@code s}. */
  private static NDArray gradient(
      Function<Slot, NDArray> gradient, Slot slot, boolean own, NDManager s) {
    NDArray g = gradient.apply(slot);
    if (own && g != null) {
      g.attach(s);
    }
    return g;
  }

  /** A float32 copy of {@code g} in {@code s}. */
  private static NDArray float32(NDArray g, Slot slot, NDManager s) {
    return local(g.toType(DataType.FLOAT32, true), s);
  }

  /**
   * Σ ‖g‖² over the gradients present: each parameter's float32 copy lives in its own sub-manager;
   * only its sum of squares is kept, and they are added in float64 and read back once.
   */
  private double sumOfSquares(Function<Slot, NDArray> gradient, boolean own) {
    try (NDManager norms = state.newSubManager()) {
      NDList squares = new NDList();
      for (Slot slot : slots) {
        try (NDManager s = norms.newSubManager()) {
          NDArray g = gradient(gradient, slot, own, s);
          if (g != null) {
            NDArray g32 = float32(g, slot, s);
            NDArray sq = g32.mul(g32).sum().reshape(1); // float32 per parameter, as before
            sq.attach(norms);
            squares.add(sq);
          }
        }
      }
      return squares.isEmpty()
          ? 0
          : NDArrays.concat(squares).toType(DataType.FLOAT64, false).sum().getDouble();
    }
  }

  private void apply(Slot slot, NDArray g, double bc1, double bc2, NDManager s) {
    Parameter p = slot.parameter;
    NDArray w = slot.master != null ? slot.master : local(p.value().stopGradient(), s);
    if (p.kind().decays() && config.weightDecay() > 0) {
      w.muli(1 - lr * config.weightDecay());
    }
    slot.expAvg.muli(config.beta1()).addi(local(g.mul(1 - config.beta1()), s));
    slot.expAvgSq.muli(config.beta2()).addi(local(g.mul(g), s).muli(1 - config.beta2()));
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
   * <name>.exp_avg_sq}, {@code <name>.master} when the master is separate (float32, the parameter's
   * shape), and the metadata {@code optimizer=adamw}, {@code step=<t>}.
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

  /** Moves an op's result (made in its first operand's manager) into the step manager. */
  private static NDArray local(NDArray a, NDManager s) {
    a.attach(s);
    return a;
  }
}
