package ai.attune.grzo.optim;

import ai.attune.core.params.ParameterStore;
import ai.attune.models.LanguageModel;
import ai.attune.models.adapters.LinearNoise;
import ai.attune.models.adapters.PerExamplePerturbation;
import ai.attune.models.adapters.Perturbable;
import ai.attune.models.adapters.Perturbations;
import ai.attune.models.adapters.Perturbations.AppliedPerturbation;
import ai.attune.models.adapters.StepArrays;
import ai.attune.models.adapters.TokenCoefficients;
import ai.attune.models.layers.Embedding;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GRZO (grzo.md §2): one pseudo-independent direction per example, built from one shared base per
 * layer (Flipout), evaluated by one batched forward per sign (or one fused 2B forward), the losses
 * normalised within the group, and the update applied by regenerating the noise.
 *
 * <p>The perturbed layers are the registered, trainable, untied layers of the configured kinds,
 * less the output head unless {@link GrzoConfig#trainHead} (an embedding tied to the head always
 * stays frozen). Nothing weight-sized outlives one layer's computation.
 *
 * <p>A perturbed embedding table is updated at the rows the batch looked up, which the model names
 * from the batch's tokens ({@link LanguageModel#embeddingRows}: token ids for a token table, the
 * position ids it derives from the padding for a learned position table), so GRZO over embeddings
 * is built from the model; over a bare parameter store it perturbs no embedding table.
 */
public final class GrzoOptimizer implements ZerothOrderOptimizer {
  private final ParameterStore store;
  private final GrzoConfig config;
  private final List<Perturbable> layers;
  private final Set<Perturbable> selected;
  private final LinearNoise noise;
  private final LanguageModel model;

  /** GRZO with Gaussian directions (the method itself) over {@code model}'s parameters. */
  public GrzoOptimizer(LanguageModel model, GrzoConfig config) {
    this(model, config, LinearNoise.GAUSSIAN);
  }

  /** GRZO as the core of a drop-in variant that shapes the linear directions (grzo.md §3). */
  public GrzoOptimizer(LanguageModel model, GrzoConfig config, LinearNoise noise) {
    this(model.parameters(), model, config, noise);
  }

  /**
   * GRZO over the layers of a bare parameter store (no model): it cannot know which rows an
   * embedding table looks up, so it refuses a config that would perturb one.
   */
  public GrzoOptimizer(ParameterStore store, GrzoConfig config) {
    this(store, null, config, LinearNoise.GAUSSIAN);
  }

  private GrzoOptimizer(
      ParameterStore store, LanguageModel model, GrzoConfig config, LinearNoise noise) {
    this.store = store;
    this.model = model;
    this.config = config;
    this.noise = noise;
    if (config.cacheDirections() && noise != LinearNoise.GAUSSIAN) {
      throw new IllegalArgumentException(
          "cache_directions keeps the Gaussian directions U; the "
              + noise
              + " variant shapes them per use, so it cannot be combined with it");
    }
    this.layers = selectLayers(store, config.kinds(), config.trainHead());
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("no trainable layer of kinds " + config.kinds());
    }
    for (Perturbable layer : layers) {
      if (model == null && layer instanceof Embedding) {
        throw new IllegalArgumentException(
            "embedding table "
                + layer.name()
                + " would be perturbed, but GRZO was built over a bare parameter store, which"
                + " cannot say which rows the table looks up: build it from the model");
      }
    }
    this.selected = Set.copyOf(layers);
  }

  /**
   * The trainable, untied layers of {@code kinds} in registration order, less the output head
   * unless {@code trainHead}.
   */
  static List<Perturbable> selectLayers(ParameterStore store, Set<?> kinds, boolean trainHead) {
    Set<String> tied = new HashSet<>(store.aliases().values());
    Set<String> head = trainHead ? Set.of() : OutputHead.parameterNames(store);
    return store.modules(Perturbable.class).stream()
        .filter(l -> l.perturbedParameter() != null && kinds.contains(l.perturbationKind()))
        .filter(
            l ->
                l.perturbedParameter().trainable()
                    && !tied.contains(l.perturbedParameter().name())
                    && !head.contains(l.perturbedParameter().name()))
        .toList();
  }

  @Override
  public String name() {
    return noise == LinearNoise.GAUSSIAN ? "grzo" : noise + "-grzo";
  }

  /** The layers this optimizer perturbs and updates. */
  public List<Perturbable> layers() {
    return layers;
  }

  @Override
  public ZoStep step(long step, long seed, double learningRate, BatchLoss loss) {
    noise.beginStep(step);
    try (StepArrays arrays = StepArrays.open(store.manager(), config.cacheDirections())) {
      return step(step, seed, learningRate, loss, arrays);
    }
  }

  private ZoStep step(
      long step, long seed, double learningRate, BatchLoss loss, StepArrays arrays) {
    int b = loss.examples();
    int[] rows = loss.rowExamples();
    int[] pads = PerExamplePerturbation.leadingPads(loss.rowTokens());
    double[] plus;
    double[] minus = new double[0];
    if (config.fused()) {
      double[] both = evaluate(loss, fusedPerturbation(seed, b, rows, pads, arrays), 2);
      plus = Arrays.copyOfRange(both, 0, b);
      minus = Arrays.copyOfRange(both, b, 2 * b);
    } else {
      plus = evaluate(loss, signed(seed, b, rows, pads, 1, arrays), 1);
      if (config.estimator().mode().needsMinusPass()) {
        minus = evaluate(loss, signed(seed, b, rows, pads, -1, arrays), 1);
      }
    }
    ZoStep probe = new ZoStep(step, seed, learningRate, plus, minus, new double[0], Map.of(), true);
    if (!probe.finite()) {
      return probe;
    }
    double[] a = config.estimator().advantages(plus, minus, config.sigma());
    Map<String, TokenCoefficients> embeddingRows = embeddingRows(seed, a, rows, loss);
    ZoStep result = new ZoStep(step, seed, learningRate, plus, minus, a, embeddingRows, false);
    update(result, arrays);
    return result;
  }

  private double[] evaluate(BatchLoss loss, PerExamplePerturbation p, int copies) {
    try (AppliedPerturbation applied = Perturbations.apply(store, p, selected::contains)) {
      if (!applied.layers().equals(layers)) {
        throw new IllegalStateException(
            "the perturbed layers changed since the optimizer was"
                + " built (a parameter was frozen or unfrozen?)");
      }
      double[] losses = loss.evaluate(copies);
      if (losses.length != copies * loss.examples()) {
        throw new IllegalStateException(
            "the loss gave "
                + losses.length
                + " values for "
                + copies
                + " x "
                + loss.examples()
                + " examples");
      }
      return losses;
    }
  }

  private Map<String, TokenCoefficients> embeddingRows(
      long seed, double[] a, int[] rows, BatchLoss loss) {
    Map<String, TokenCoefficients> out = new LinkedHashMap<>();
    Map<String, long[][]> lookups = null;
    for (Perturbable layer : layers) {
      if (layer instanceof Embedding embedding) {
        if (lookups == null) {
          lookups = model.embeddingRows(loss.rowTokens());
        }
        out.put(
            layer.name(),
            GrzoUpdate.tokenCoefficients(embedding, seed, a, rows, lookedUp(embedding, lookups)));
      }
    }
    return out;
  }

  /** The rows {@code embedding} looked up, as the model names them. */
  private long[][] lookedUp(Embedding embedding, Map<String, long[][]> lookups) {
    long[][] rows = lookups.get(embedding.name());
    if (rows == null) {
      throw new IllegalStateException(
          model.getClass().getSimpleName()
              + " does not name the rows its table "
              + embedding.name()
              + " looks up (it names "
              + lookups.keySet()
              + ")");
    }
    return rows;
  }

  @Override
  public void replay(ZoStep logged) {
    if (logged.skipped()) {
      return; // the passes never touch the weights: nothing to restore
    }
    noise.beginStep(logged.step());
    try (StepArrays arrays = StepArrays.open(store.manager(), config.cacheDirections())) {
      update(logged, arrays);
    }
  }

  private void update(ZoStep logged, StepArrays arrays) {
    double[] a = logged.coefficients();
    double scale = config.estimator().stepScale(logged.learningRate(), config.sigma(), a.length);
    try (NDManager m = store.manager().newSubManager()) {
      NDArray coefficients = GrzoUpdate.coefficients(m, a, scale);
      for (Perturbable layer : layers) {
        GrzoUpdate.apply(
            layer,
            m,
            logged.seed(),
            coefficients,
            scale,
            logged.embeddingRows().get(layer.name()),
            noise,
            arrays);
      }
    }
  }

  private PerExamplePerturbation signed(
      long seed, int b, int[] rows, int[] pads, int sign, StepArrays arrays) {
    float[] signs = new float[rows.length];
    Arrays.fill(signs, sign);
    return new PerExamplePerturbation(
        seed, (float) config.sigma(), b, signs, rows, config.kinds(), noise, arrays, pads);
  }

  private PerExamplePerturbation fusedPerturbation(
      long seed, int b, int[] rows, int[] pads, StepArrays arrays) {
    int n = rows.length;
    float[] signs = new float[2 * n];
    int[] examples = new int[2 * n];
    int[] bothPads = new int[2 * n];
    for (int r = 0; r < 2 * n; r++) {
      signs[r] = r < n ? 1f : -1f;
      examples[r] = rows[r % n];
      bothPads[r] = pads[r % n];
    }
    return new PerExamplePerturbation(
        seed, (float) config.sigma(), b, signs, examples, config.kinds(), noise, arrays, bothPads);
  }

  /**
   * Data parallel, first half: the + and − losses of this worker's examples, which are examples
   * {@code offset} to {@code offset + local.examples() - 1} of a global batch of {@code
   * globalExamples}. Every worker draws the global batch's signs from the step seed and perturbs
   * its own rows with its examples' signs, so the losses are those a single process would measure
   * on the same rows of the whole batch. The weights are left as they were.
   */
  public ShardLosses evaluateShard(
      long step, long seed, BatchLoss local, int globalExamples, int offset) {
    if (offset < 0 || offset + local.examples() > globalExamples) {
      throw new IllegalArgumentException(
          "examples "
              + offset
              + ".."
              + (offset + local.examples())
              + " are not inside a global batch of "
              + globalExamples);
    }
    noise.beginStep(step);
    int n = local.examples();
    int[] rows = globalRows(local, offset);
    int[] pads = PerExamplePerturbation.leadingPads(local.rowTokens());
    try (StepArrays arrays = StepArrays.open(store.manager(), config.cacheDirections())) {
      if (config.fused()) {
        double[] both =
            evaluate(local, fusedPerturbation(seed, globalExamples, rows, pads, arrays), 2);
        return new ShardLosses(Arrays.copyOfRange(both, 0, n), Arrays.copyOfRange(both, n, 2 * n));
      }
      double[] plus = evaluate(local, signed(seed, globalExamples, rows, pads, 1, arrays), 1);
      double[] minus =
          config.estimator().mode().needsMinusPass()
              ? evaluate(local, signed(seed, globalExamples, rows, pads, -1, arrays), 1)
              : new double[0];
      return new ShardLosses(plus, minus);
    }
  }

  /**
   * Data parallel: the coefficients a_i of the whole global batch from its gathered losses (as
   * {@link #step} computes them), or null when a loss is not finite (the step is skipped).
   */
  public double[] gatheredCoefficients(double[] plus, double[] minus) {
    if (!ZoStep.allFinite(plus) || !ZoStep.allFinite(minus)) {
      return null;
    }
    return config.estimator().advantages(plus, minus, config.sigma());
  }

  /**
   * Data parallel: this worker's share of the embedding rows' coefficients (see {@link
   * GrzoUpdate#tokenCoefficients}), from the global batch's coefficients {@code a} and the rows its
   * last {@link #evaluateShard} looked up. The workers sum their shares by table row.
   */
  public Map<String, TokenCoefficients> shardEmbeddingRows(
      long seed, double[] a, BatchLoss local, int offset) {
    return embeddingRows(seed, a, globalRows(local, offset), local);
  }

  /** Whether a step updates an embedding table (and data-parallel workers must share rows). */
  public boolean updatesEmbeddings() {
    return layers.stream().anyMatch(l -> l instanceof Embedding);
  }

  /**
   * Data parallel, second half: applies the step from the whole global batch's gathered losses, its
   * coefficients and summed embedding rows, exactly as {@link #step} does with them; every worker
   * calls it with the same values and so reaches the same weights. Call it after {@link
   * #evaluateShard} of the same step (which begins the step's noise).
   */
  public ZoStep applyGathered(
      long step,
      long seed,
      double learningRate,
      double[] plus,
      double[] minus,
      double[] a,
      Map<String, TokenCoefficients> embeddingRows) {
    if (a == null) {
      return new ZoStep(step, seed, learningRate, plus, minus, new double[0], Map.of(), true);
    }
    ZoStep result = new ZoStep(step, seed, learningRate, plus, minus, a, embeddingRows, false);
    try (StepArrays arrays = StepArrays.open(store.manager(), config.cacheDirections())) {
      update(result, arrays);
    }
    return result;
  }

  private static int[] globalRows(BatchLoss local, int offset) {
    int[] rows = local.rowExamples();
    for (int r = 0; r < rows.length; r++) {
      rows[r] += offset;
    }
    return rows;
  }
}
