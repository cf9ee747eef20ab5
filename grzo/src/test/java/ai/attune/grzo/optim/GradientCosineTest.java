package ai.attune.grzo.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.params.Parameter;
import ai.attune.grzo.estimator.EstimatorMode;
import ai.attune.grzo.estimator.GroupRelativeEstimator;
import ai.attune.models.CausalLM;
import ai.attune.models.LanguageModelLoss;
import ai.attune.models.Models;
import ai.attune.models.adapters.Perturbable;
import ai.attune.models.adapters.PerturbationKind;
import ai.attune.testsupport.FixturePaths;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The paper's statistical claim in miniature (grzo.md §2): the cosine between the zeroth-order
 * estimate and the exact backprop gradient of the batch loss, averaged over trials, grows with the
 * batch size B for GRZO and stays flat for MeZO, on opt-tiny's linear layers.
 */
@Tag("slow")
class GradientCosineTest {
  static final int TRIALS = 128;
  static final int LENGTH = 8;
  static NDManager root;
  static CausalLM model;
  static List<Parameter> params;

  @BeforeAll
  static void load() {
    root = Engines.newManager(DevicePolicy.CPU);
    Path dir = FixturePaths.of("opt-tiny");
    model = Models.load(dir, ComputeDtype.FLOAT32, root);
    params = new ArrayList<>();
    for (Perturbable l : grzo(1).layers()) {
      params.add(l.perturbedParameter());
    }
    // MeZO and GRZO perturb the same set: the linear weights
    for (Parameter p : model.parameters().parameters().values()) {
      p.setTrainable(params.contains(p));
    }
  }

  @AfterAll
  static void close() {
    model.close();
    root.close();
  }

  /**
   * GRZO with a negligible std floor: B = 1 has no sample std and is refused without one; the floor
   * only rescales a batch's coefficients together, which leaves the cosine unchanged.
   */
  static GrzoOptimizer grzo(int unused) {
    return new GrzoOptimizer(
        model,
        new GrzoConfig(
            1e-3,
            new GroupRelativeEstimator(EstimatorMode.TWO_NORM, 1e-12, 0),
            true,
            EnumSet.of(PerturbationKind.LINEAR)));
  }

  @Test
  void grzoCosineGrowsWithBatchAndBeatsMezo() {
    double grzo1 = meanCosine(grzo(1), 1);
    double grzo16 = meanCosine(grzo(1), 16);
    double mezo1 = meanCosine(new MezoOptimizer(model.parameters(), MezoConfig.defaults()), 1);
    double mezo16 = meanCosine(new MezoOptimizer(model.parameters(), MezoConfig.defaults()), 16);
    System.out.printf(
        "mean cosine over %d trials: GRZO B=1 %.4e, B=16 %.4e (x%.2f);"
            + " MeZO B=1 %.4e, B=16 %.4e (x%.2f); GRZO/MeZO at B=16 x%.2f%n",
        TRIALS, grzo1, grzo16, grzo16 / grzo1, mezo1, mezo16, mezo16 / mezo1, grzo16 / mezo16);
    assertThat(grzo16).isGreaterThanOrEqualTo(2 * grzo1);
    assertThat(grzo16).isGreaterThanOrEqualTo(2 * mezo16);
    assertThat(mezo16 / mezo1).isBetween(0.5, 1.5);
  }

  /** The mean over trials of cos(estimate, exact gradient of the batch-mean loss). */
  static double meanCosine(ZerothOrderOptimizer optimizer, int batch) {
    double sum = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
      try (NDManager m = root.newSubManager()) {
        LmBatchLoss loss = new LmBatchLoss(model, m, batch, LENGTH, 1000L * batch + trial);
        float[] exact = exactGradient(loss, m);
        float[] before = flatten();
        optimizer.step(trial, 31L * trial + batch, 1e-3, loss);
        float[] after = flatten();
        restore(before, m);
        float[] estimate = new float[before.length];
        for (int i = 0; i < estimate.length; i++) {
          estimate[i] = before[i] - after[i]; // lr * ĝ
        }
        sum += cosine(estimate, exact);
      }
    }
    return sum / TRIALS;
  }

  static float[] exactGradient(LmBatchLoss loss, NDManager m) {
    for (Parameter p : params) {
      p.value().setRequiresGradient(true);
    }
    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
      collector.zeroGradients();
      NDArray ids = loss.ids(m, 1);
      NDArray logits = model.forward(ids, ids.onesLike(), null);
      collector.backward(LanguageModelLoss.perExample(logits, ids, ids.onesLike()).mean());
    }
    List<float[]> parts = new ArrayList<>();
    for (Parameter p : params) {
      parts.add(p.value().getGradient().toFloatArray());
      p.value().setRequiresGradient(false);
    }
    return concat(parts);
  }

  static float[] flatten() {
    List<float[]> parts = new ArrayList<>();
    for (Parameter p : params) {
      parts.add(p.value().toFloatArray());
    }
    return concat(parts);
  }

  static void restore(float[] flat, NDManager m) {
    int offset = 0;
    for (Parameter p : params) {
      int n = (int) p.shape().size();
      float[] part = java.util.Arrays.copyOfRange(flat, offset, offset + n);
      p.value().set(part);
      offset += n;
    }
  }

  static float[] concat(List<float[]> parts) {
    int n = parts.stream().mapToInt(a -> a.length).sum();
    float[] out = new float[n];
    int o = 0;
    for (float[] a : parts) {
      System.arraycopy(a, 0, out, o, a.length);
      o += a.length;
    }
    return out;
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
