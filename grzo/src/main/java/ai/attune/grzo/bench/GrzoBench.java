package ai.attune.grzo.bench;

import ai.attune.core.device.ArrayCounter;
import ai.attune.core.device.Engines;
import ai.attune.core.device.HostMemoryTrim;
import ai.attune.core.device.HugePages;
import ai.attune.core.device.NativeAllocator;
import ai.attune.core.device.OpProfile;
import ai.attune.core.device.QuickJit;
import ai.attune.grzo.estimator.GroupRelativeEstimator;
import ai.attune.grzo.optim.GrzoConfig;
import ai.attune.grzo.optim.GrzoOptimizer;
import ai.attune.grzo.optim.MezoConfig;
import ai.attune.grzo.optim.MezoOptimizer;
import ai.attune.models.CausalLM;
import ai.attune.models.LanguageModel;
import ai.attune.models.SeparableHeadMaskedLM;
import ai.attune.models.adapters.PerturbationKind;
import ai.attune.models.init.RandomInit;
import ai.attune.models.layers.Activations;
import ai.attune.models.opt.OptConfig;
import ai.attune.models.opt.OptForCausalLM;
import ai.attune.models.roberta.RobertaConfig;
import ai.attune.models.roberta.RobertaForMaskedLM;
import ai.djl.ndarray.NDManager;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code grzo bench}: times forward-only passes, MeZO steps, GRZO steps and fused GRZO steps on a
 * random-weight model of a given shape, and reports the median milliseconds per step after warm-up,
 * each phase's peak memory, the C allocator behind host memory ({@link NativeAllocator}) and
 * whether libtorch's host tensors are on huge pages ({@link HugePages}) and glibc's freed memory is
 * trimmed ({@link HostMemoryTrim}), and the arrays (about one per engine op) and array bytes one
 * more, untimed step of the phase creates ({@link ArrayCounter}). Figures for people to read, not a
 * test.
 */
public final class GrzoBench {
  private static final Logger LOG = LoggerFactory.getLogger(GrzoBench.class);
  private static final int PROFILE_ROWS = 12;
  // RoBERTa's special ids (roberta-base/-large): <s>, <pad>, </s>
  private static final int ROBERTA_BOS = 0;
  private static final int ROBERTA_PAD = 1;
  private static final int ROBERTA_EOS = 2;

  /** The JIT's share of the timed steps' time above which the table flags a phase as cold. */
  static final double COLD_JIT_SHARE = 0.10;

  /**
   * One measured phase.
   *
   * @param timedMs the timed steps' total milliseconds
   * @param jitMs milliseconds the JVM's JIT compilers spent compiling while the timed steps ran
   *     (their threads compete with libtorch's for the cores), or -1 where the JVM does not report
   *     it
   * @param profile the ops of one more step under libtorch's profiler; null unless asked for
   */
  public record Row(
      String phase,
      double medianMs,
      double minMs,
      double timedMs,
      long peakBytes,
      long jitMs,
      ArrayCounter.Counts counts,
      OpProfile profile) {

    /**
     * Whether the JIT compiled for more than {@link #COLD_JIT_SHARE} of the timed steps' time: the
     * steps ran partly before the JVM had compiled them, so they time warm-up as well as the step.
     */
    public boolean cold() {
      return jitMs > COLD_JIT_SHARE * timedMs;
    }
  }

  /** The measured phases and what their memory column means. */
  public record Report(
      BenchConfig config,
      String device,
      String allocator,
      boolean hugePages,
      boolean mallocTrim,
      boolean quickJit,
      String memoryKind,
      long parameters,
      List<Row> rows) {

    /** The table as printed by the command. */
    public String table() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              Locale.ROOT,
              "grzo bench: %s hidden=%d layers=%d heads=%d vocab=%d params=%.1fM batch=%d seq=%d"
                  + " dtype=%s device=%s allocator=%s huge_pages=%s malloc_trim=%s jit=%s, median of %d steps after %d warm-up%n",
              config.arch(),
              config.hidden(),
              config.layers(),
              config.heads(),
              config.vocab(),
              parameters / 1e6,
              config.batch(),
              config.seq(),
              config.dtype(),
              device,
              allocator,
              hugePages ? "on" : "off",
              mallocTrim ? "on" : "off",
              quickJit ? "quick" : "full",
              config.steps(),
              config.warmup()));
      sb.append(
          String.format(
              Locale.ROOT,
              "%-22s %12s %12s %16s %8s %10s %14s%n",
              "phase",
              "median ms",
              "min ms",
              "peak " + memoryKind,
              "JIT ms",
              "arrays",
              "array MiB"));
      for (Row r : rows) {
        sb.append(
            String.format(
                Locale.ROOT,
                "%-22s %12.1f %12.1f %13.2f GiB %8s %10d %14.1f%n",
                r.phase(),
                r.medianMs(),
                r.minMs(),
                r.peakBytes() / (double) (1L << 30),
                r.jitMs() < 0 ? "n/a" : Long.toString(r.jitMs()),
                r.counts().arrays(),
                r.counts().bytes() / (double) (1L << 20)));
      }
      sb.append(
              "JIT ms: time the JVM's JIT compilers spent compiling during the timed steps (their"
                  + " threads share the cores with libtorch's; see docs/grzo.md, \"Cold steps and the"
                  + " JIT\")")
          .append(System.lineSeparator());
      sb.append(
              "arrays, array MiB: one extra untimed step per phase; arrays attached to a manager"
                  + " (about one per engine op returning an array) and their size x element bytes, views"
                  + " included, in-place ops not counted (ArrayCounter)")
          .append(System.lineSeparator());
      for (Row r : rows) {
        if (r.cold()) {
          sb.append(
              String.format(
                  Locale.ROOT,
                  "note: the JIT compiled for %d ms while %s's timed steps ran (%.0f%% of their %.0f"
                      + " ms), so they are partly cold; a larger --warmup times warm steps%n",
                  r.jitMs(),
                  r.phase(),
                  100 * r.jitMs() / r.timedMs(),
                  r.timedMs()));
        }
      }
      for (Row r : rows) {
        if (r.profile() != null) {
          sb.append(
                  String.format(
                      Locale.ROOT,
                      "%s: ops of one more step by self time (libtorch profiler; slower than the"
                          + " timed steps), trace %s%n",
                      r.phase(),
                      r.profile().trace()))
              .append(r.profile().table(PROFILE_ROWS));
        }
      }
      return sb.toString();
    }
  }

  private GrzoBench() {}

  /** Builds the model, runs the phases asked for and returns their figures. */
  public static Report run(BenchConfig c) {
    try (NDManager root = Engines.newManager(c.device())) {
      ArrayCounter counter = ArrayCounter.watch(root);
      return run(c, root, counter);
    }
  }

  private static Report run(BenchConfig c, NDManager root, ArrayCounter counter) {
    try (LanguageModel model = model(c, root);
        BenchBatch loss = workload(c, model, root)) {
      RandomInit.fill(model.parameters(), 0.02, c.seed(), c.dtype().dataType());
      PeakMemory memory = new PeakMemory(root.getDevice());
      boolean gpu = root.getDevice().isGpu();
      List<Row> rows = new ArrayList<>();
      if (c.phases().contains("forward")) {
        rows.add(phase("forward", c, memory, counter, gpu, step -> loss.evaluate(1)));
      }
      if (c.phases().contains("mezo")) {
        MezoOptimizer mezo = new MezoOptimizer(model.parameters(), MezoConfig.defaults());
        rows.add(
            phase(
                "mezo step",
                c,
                memory,
                counter,
                gpu,
                step -> mezo.step(step, c.seed() + step, 1e-7, loss)));
      }
      for (String name : List.of("grzo", "fused", "grzo-cached", "fused-cached")) {
        if (!c.phases().contains(name)) {
          continue;
        }
        boolean fused = name.startsWith("fused");
        boolean cached = name.endsWith("cached");
        GrzoOptimizer grzo =
            new GrzoOptimizer(
                model,
                new GrzoConfig(
                        1e-3,
                        GroupRelativeEstimator.paperDefault(),
                        fused,
                        EnumSet.allOf(PerturbationKind.class))
                    .withCacheDirections(cached));
        rows.add(
            phase(
                (fused ? "grzo fused" : "grzo") + (cached ? " cached" : "") + " step",
                c,
                memory,
                counter,
                gpu,
                step -> grzo.step(step, c.seed() + step, 1e-7, loss)));
      }
      return new Report(
          c,
          root.getDevice().toString(),
          NativeAllocator.inProcess().name(),
          Engines.hugePages().enabled(),
          Engines.mallocTrim().enabled(),
          QuickJit.current().quick(),
          memory.kind(),
          model.parameters().numel(),
          rows);
    }
  }

  /** A random-weight model of the configured architecture and shape. */
  private static LanguageModel model(BenchConfig c, NDManager root) {
    if (c.arch().equals("roberta")) {
      RobertaConfig shape =
          new RobertaConfig(
              c.vocab(),
              c.hidden(),
              c.layers(),
              c.heads(),
              4 * c.hidden(),
              Math.max(514, c.seq() + ROBERTA_PAD + 1),
              1,
              1e-5f,
              Activations.GELU,
              true,
              ROBERTA_PAD,
              ROBERTA_BOS,
              List.of(ROBERTA_EOS));
      return new RobertaForMaskedLM(shape, c.dtype(), root);
    }
    OptConfig shape =
        new OptConfig(
            c.vocab(),
            c.hidden(),
            c.hidden(),
            c.layers(),
            c.heads(),
            4 * c.hidden(),
            Math.max(2048, c.seq()),
            true,
            false,
            true,
            true,
            Activations.RELU,
            true,
            1,
            2,
            List.of(2));
    return new OptForCausalLM(shape, c.dtype(), root);
  }

  /**
   * The batch the phases score: next-token loss over random tokens for a causal LM, the loss at one
   * mask slot of random prompts for a masked LM.
   */
  private static BenchBatch workload(BenchConfig c, LanguageModel model, NDManager root) {
    if (model instanceof SeparableHeadMaskedLM mlm) {
      return new RandomSlotLoss(mlm, root, c.batch(), c.seq(), ROBERTA_BOS, ROBERTA_EOS, c.seed());
    }
    return new RandomTokensLoss((CausalLM) model, root, c.batch(), c.seq(), c.seed());
  }

  /** The JVM's total JIT compilation time so far, in ms, or -1 where it is not reported. */
  private static long jitMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime()
        : -1;
  }

  private static Row phase(
      String name,
      BenchConfig c,
      PeakMemory memory,
      ArrayCounter counter,
      boolean gpu,
      LongConsumer step) {
    memory.reset();
    for (int i = 0; i < c.warmup(); i++) {
      step.accept(i);
      memory.sample();
    }
    double[] ms = new double[c.steps()];
    long jit0 = jitMillis();
    for (int i = 0; i < c.steps(); i++) {
      long t0 = System.nanoTime();
      step.accept(c.warmup() + i);
      ms[i] = (System.nanoTime() - t0) / 1e6;
      memory.sample();
    }
    long jit1 = jitMillis();
    long jitMs = jit0 < 0 || jit1 < 0 ? -1 : jit1 - jit0;
    double timedMs = Arrays.stream(ms).sum();
    Arrays.sort(ms);
    long peak = memory.peakBytes();
    counter.start();
    step.accept(c.warmup() + c.steps());
    ArrayCounter.Counts counts = counter.stop();
    OpProfile profile = null;
    if (c.profile() != null) {
      long extra = c.warmup() + c.steps() + 1L;
      profile =
          OpProfile.record(
              c.profile().resolve(name.replace(' ', '-') + ".trace.json"),
              gpu,
              () -> step.accept(extra));
    }
    Row row = new Row(name, ms[ms.length / 2], ms[0], timedMs, peak, jitMs, counts, profile);
    LOG.info("{}: median {} ms", name, String.format(Locale.ROOT, "%.1f", row.medianMs()));
    return row;
  }
}
