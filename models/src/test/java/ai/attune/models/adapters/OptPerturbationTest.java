package ai.attune.models.adapters;

import static ai.attune.models.TestData.referenceLongs;
import static ai.attune.models.adapters.PerturbationCases.STEP_SEED;
import static ai.attune.models.adapters.PerturbationCases.batch;
import static ai.attune.models.adapters.PerturbationCases.maxAbsDiff;
import static ai.attune.models.adapters.PerturbationCases.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.TestData;
import ai.attune.models.layers.Embedding;
import ai.attune.models.layers.LayerNorm;
import ai.attune.models.layers.Linear;
import ai.attune.models.layers.RmsNorm;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The layer registry and per-example perturbations through a whole model (opt-tiny). */
@Tag("engine")
class OptPerturbationTest {
  static final String MODEL = "opt-tiny";
  static final int B = 3;
  static final float SIGMA = 0.02f;
  static final Set<PerturbationKind> LINEAR = EnumSet.of(PerturbationKind.LINEAR);
  static NDManager root;
  static CausalLM lm;

  @BeforeAll
  static void load() {
    root = Engines.newManager(DevicePolicy.CPU);
    lm = Models.load(TestData.dir(MODEL), ComputeDtype.FLOAT32, root);
  }

  @AfterAll
  static void close() {
    lm.close();
    root.close();
  }

  static NDArray ids(NDManager m) {
    return m.create(referenceLongs(MODEL, "input_ids")).reshape(B, 12);
  }

  static NDArray mask(NDManager m) {
    return m.create(referenceLongs(MODEL, "attention_mask")).reshape(B, 12);
  }

  @Test
  void registryListsEveryLayerExceptTheTiedHead() {
    ParameterStore store = lm.parameters();
    List<Linear> linears = store.modules(Linear.class);
    assertThat(linears).hasSize(12);
    assertThat(linears.get(0).name()).isEqualTo("model.decoder.layers.0.self_attn.q_proj");
    assertThat(linears.get(11).name()).isEqualTo("model.decoder.layers.1.fc2");
    assertThat(linears).noneMatch(l -> l.name().equals("lm_head"));
    assertThat(store.modules(LayerNorm.class))
        .extracting(LayerNorm::name)
        .containsExactly(
            "model.decoder.layers.0.self_attn_layer_norm",
            "model.decoder.layers.0.final_layer_norm",
            "model.decoder.layers.1.self_attn_layer_norm",
            "model.decoder.layers.1.final_layer_norm",
            "model.decoder.final_layer_norm");
    assertThat(store.modules(Embedding.class))
        .extracting(Embedding::name)
        .containsExactly("model.decoder.embed_tokens", "model.decoder.embed_positions");
    assertThat(store.modules(RmsNorm.class)).isEmpty();
    assertThat(store.modules(Perturbable.class)).hasSize(19);
  }

  @Test
  void batchedPerturbedForwardEqualsEachExampleThroughAnExplicitlyPerturbedCopy() {
    try (NDManager step = root.newSubManager()) {
      float[][][] expected = new float[B][2][];
      for (int e = 0; e < B; e++) {
        for (int sign = 0; sign < 2; sign++) {
          expected[e][sign] = explicitCopyLogits(step, e, sign == 0 ? 1f : -1f);
        }
      }
      NDArray base = lm.forward(ids(step), mask(step), null);
      float[] baseValues = base.toFloatArray();
      for (PerExamplePerturbation p : PerturbationCases.cases(B, SIGMA, LINEAR)) {
        NDArray logits;
        try (var applied = Perturbations.apply(lm.parameters(), p)) {
          assertThat(applied.layers()).hasSize(12);
          logits = lm.forward(batch(p, ids(step)), batch(p, mask(step)), null);
        }
        double worst = 0;
        for (int i = 0; i < p.rows(); i++) {
          float[] want = expected[p.rowExamples()[i]][p.rowSigns()[i] > 0 ? 0 : 1];
          NDArray got = row(logits, i);
          worst = Math.max(worst, maxAbsDiff(got, step.create(want, got.getShape())));
        }
        double moved = maxAbsDiff(logits.get(":" + B), base);
        System.out.printf(
            "opt-tiny linear flipout rows=%d: max |batched - explicit copy| = %.3g,"
                + " max |perturbed - base logits| = %.3g%n",
            p.rows(), worst, moved);
        assertThat(worst).isLessThan(1e-4);
        assertThat(moved).isGreaterThan(1e-2);
        assertThat(lm.forward(ids(step), mask(step), null).toFloatArray())
            .as("logits after the perturbation is closed")
            .containsExactly(baseValues);
      }
    }
  }

  /** Logits of example {@code e} alone through a fresh copy with W + cσ U⊙(r_e s_eᵀ). */
  private float[] explicitCopyLogits(NDManager step, int e, float c) {
    try (NDManager scratch = step.newSubManager();
        CausalLM copy = Models.load(TestData.dir(MODEL), ComputeDtype.FLOAT32, root)) {
      List<Linear> source = lm.parameters().modules(Linear.class);
      List<Linear> target = copy.parameters().modules(Linear.class);
      for (int l = 0; l < source.size(); l++) {
        Linear layer = source.get(l);
        NDArray u = layer.noiseU(scratch, STEP_SEED);
        NDArray r = row(layer.signsR(scratch, STEP_SEED, B), e).reshape(layer.outFeatures(), 1);
        NDArray s = row(layer.signsS(scratch, STEP_SEED, B), e).reshape(1, layer.inFeatures());
        NDArray w = u.mul(r.mul(s)).mul(c * SIGMA).add(layer.weight().value());
        w.attach(copy.parameters().manager());
        target.get(l).weight().set(w);
      }
      return copy.forward(row(ids(scratch), e), row(mask(scratch), e), null).toFloatArray();
    }
  }

  @Test
  void everyKindGivesEachRowTheSameOutputAsItsExampleAlone() {
    try (NDManager step = root.newSubManager()) {
      PerExamplePerturbation fused =
          PerExamplePerturbation.fused(STEP_SEED, SIGMA, B, PerturbationKind.all());
      NDArray base = lm.forward(ids(step), mask(step), null);
      NDManager params = lm.parameters().manager();
      int paramArrays = params.getManagedArrays().size();
      NDArray batched;
      try (var applied = Perturbations.apply(lm.parameters(), fused)) {
        // embed_tokens is tied to the frozen head: skipped by default
        assertThat(applied.layers())
            .hasSize(18)
            .noneMatch(l -> l.name().equals("model.decoder.embed_tokens"));
        batched = lm.forward(batch(fused, ids(step)), batch(fused, mask(step)), null);
      }
      double worst = 0;
      for (int i = 0; i < fused.rows(); i++) {
        int e = fused.rowExamples()[i];
        PerExamplePerturbation alone =
            new PerExamplePerturbation(
                STEP_SEED,
                SIGMA,
                B,
                new float[] {fused.rowSigns()[i]},
                new int[] {e},
                PerturbationKind.all());
        try (var applied = Perturbations.apply(lm.parameters(), alone)) {
          NDArray single = lm.forward(row(ids(step), e), row(mask(step), e), null);
          worst = Math.max(worst, maxAbsDiff(row(batched, i), single));
        }
      }
      double moved = maxAbsDiff(batched.get(":" + B), base);
      assertThat(params.getManagedArrays())
          .as("no array left in the parameter manager")
          .hasSize(paramArrays);
      System.out.printf(
          "opt-tiny all kinds, fused rows vs example alone: max diff %.3g, "
              + "max |perturbed - base logits| = %.3g%n",
          worst, moved);
      assertThat(worst).isLessThan(1e-4);
      assertThat(moved).isGreaterThan(1e-2);
    }
  }

  @Test
  void selectionSkipsFrozenLayersAndRefusesOverlappingPerturbations() {
    ParameterStore store = lm.parameters();
    Linear q = store.modules(Linear.class).get(0);
    PerExamplePerturbation p = PerExamplePerturbation.signed(STEP_SEED, SIGMA, B, 1, LINEAR);
    q.weight().setTrainable(false);
    try (var applied = Perturbations.apply(store, p)) {
      assertThat(applied.layers()).hasSize(11).doesNotContain(q);
      assertThatThrownBy(() -> Perturbations.apply(store, p))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already carries");
    } finally {
      q.weight().setTrainable(true);
    }
    try (var all = Perturbations.apply(store, p, layer -> true)) {
      assertThat(all.layers()).hasSize(12).contains(q);
    }
    assertThat(store.modules(Perturbable.class)).allMatch(l -> l.perturbation() == null);
  }
}
