package ai.attune.models.adapters;

import static ai.attune.models.adapters.PerturbationCases.STEP_SEED;
import static ai.attune.models.adapters.PerturbationCases.batch;
import static ai.attune.models.adapters.PerturbationCases.gaussian;
import static ai.attune.models.adapters.PerturbationCases.maxAbsDiff;
import static ai.attune.models.adapters.PerturbationCases.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.layers.Embedding;
import ai.attune.models.layers.LayerNorm;
import ai.attune.models.layers.RmsNorm;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Perturbed norm gains and embedding rows against explicitly perturbed parameters. */
@Tag("engine")
class NormEmbeddingPerturbationTest {
  static final int B = 4;
  static final int T = 3;
  static final int D = 8;
  static final int VOCAB = 11;
  static final float SIGMA = 0.1f;
  static final Set<PerturbationKind> NORM = EnumSet.of(PerturbationKind.NORM);
  static final Set<PerturbationKind> EMBEDDING = EnumSet.of(PerturbationKind.EMBEDDING);

  NDManager root;
  ParameterStore store;

  @BeforeEach
  void open() {
    root = Engines.newManager(DevicePolicy.CPU);
    store = new ParameterStore(root);
  }

  @AfterEach
  void close() {
    store.close();
    root.close();
  }

  @Test
  void layerNormRowsEqualAPlainForwardWithGainPlusSignedSigmaU() {
    LayerNorm norm = new LayerNorm(store, "ln", D, 1e-5f, true);
    norm.weight().set(gaussian(store.manager(), 1, D).add(1f));
    norm.bias().set(gaussian(store.manager(), 2, D));
    checkNorm(
        norm::forward,
        norm::signsU,
        (ref, gain) -> {
          LayerNorm plain = new LayerNorm(ref, "plain", D, 1e-5f, true);
          plain.weight().set(gain);
          plain.bias().set(norm.bias().value().duplicate());
          return plain::forward;
        });
  }

  @Test
  void rmsNormRowsEqualAPlainForwardWithGainPlusSignedSigmaU() {
    RmsNorm norm = new RmsNorm(store, "rms", D, 1e-6f);
    norm.weight().set(gaussian(store.manager(), 1, D).add(1f));
    checkNorm(
        norm::forward,
        norm::signsU,
        (ref, gain) -> {
          RmsNorm plain = new RmsNorm(ref, "plain", D, 1e-6f);
          plain.weight().set(gain);
          return plain::forward;
        });
  }

  interface Signs {
    NDArray draw(NDManager m, long stepSeed, int examples);
  }

  interface PlainNorm {
    Function<NDArray, NDArray> build(ParameterStore ref, NDArray gain);
  }

  private void checkNorm(Function<NDArray, NDArray> forward, Signs signs, PlainNorm plain) {
    for (PerExamplePerturbation p : PerturbationCases.cases(B, SIGMA, NORM)) {
      try (NDManager step = root.newSubManager()) {
        NDArray x = batch(p, gaussian(step, 3, B, T, D).mul(3f).add(0.5f));
        NDArray base = forward.apply(x);
        NDArray y;
        try (var applied = Perturbations.apply(store, p)) {
          y = forward.apply(x);
        }
        NDArray u = signs.draw(step, STEP_SEED, B);
        NDArray gain = store.modules(Perturbable.class).get(0).perturbedParameter().value();
        double worst = 0;
        for (int i = 0; i < p.rows(); i++) {
          try (ParameterStore ref = new ParameterStore(root)) {
            NDArray g =
                row(u, p.rowExamples()[i]).reshape(D).mul(p.rowSigns()[i] * SIGMA).add(gain);
            g.attach(ref.manager());
            NDArray expected = plain.build(ref, g).apply(row(x, i));
            worst = Math.max(worst, maxAbsDiff(row(y, i), expected));
          }
        }
        System.out.printf(
            "perturbed %s rows=%d: max |batched - explicit| = %.3g, "
                + "max |perturbed - base| = %.3g%n",
            store.modules(Perturbable.class).get(0).name(), p.rows(), worst, maxAbsDiff(y, base));
        assertThat(worst).isLessThan(1e-5);
        assertThat(maxAbsDiff(y, base)).isGreaterThan(1e-2);
      }
    }
  }

  @Test
  void embeddingTokensEqualExplicitTablePlusSignedSigmaRowDirection() {
    Embedding emb = new Embedding(store, "embed_tokens", VOCAB, D);
    emb.weight().set(gaussian(store.manager(), 1, VOCAB, D));
    for (PerExamplePerturbation p : PerturbationCases.cases(B, SIGMA, EMBEDDING)) {
      try (NDManager step = root.newSubManager()) {
        NDArray ids = batch(p, step.randomInteger(0, VOCAB, new Shape(B, T), DataType.INT64));
        NDArray base = emb.forward(ids);
        NDArray y;
        try (var applied = Perturbations.apply(store, p)) {
          y = emb.forward(ids);
        }
        NDArray table = emb.signTable(step, STEP_SEED);
        NDArray s = emb.positionSigns(step, STEP_SEED, B, T);
        double worst = 0;
        for (int i = 0; i < p.rows(); i++) {
          int e = p.rowExamples()[i];
          for (int t = 0; t < T; t++) {
            try (ParameterStore ref = new ParameterStore(root)) {
              Embedding plain = new Embedding(ref, "plain", VOCAB, D);
              float c = p.rowSigns()[i] * SIGMA * s.getFloat(e, t);
              NDArray w = table.mul(c).add(emb.weight().value());
              w.attach(ref.manager());
              plain.weight().set(w);
              NDArray id = ids.get(i + ":" + (i + 1) + ", " + t + ":" + (t + 1));
              NDArray got = y.get(i + ":" + (i + 1) + ", " + t + ":" + (t + 1));
              worst = Math.max(worst, maxAbsDiff(got, plain.forward(id)));
            }
          }
        }
        System.out.printf(
            "perturbed embedding rows=%d: max |batched - explicit| = %.3g, "
                + "max |perturbed - base| = %.3g%n",
            p.rows(), worst, maxAbsDiff(y, base));
        assertThat(worst).isLessThan(1e-6);
        // every token moved by exactly sigma in every coordinate
        NDArray moved = y.sub(base).abs();
        assertThat(moved.min().getFloat()).isCloseTo(SIGMA, Offset.offset(1e-6f));
        assertThat(moved.max().getFloat()).isCloseTo(SIGMA, Offset.offset(1e-6f));
      }
    }
  }

  /**
   * s_{i,t} is keyed on a token's place in its unpadded row: a batch whose rows are padded on the
   * left to 9 columns sees, right of the padding, the signs of the same rows unpadded at 5 columns
   * (a data-parallel shard pads to its own longest row), right padding changes nothing, two rows of
   * one example share their signs, and the signs are ±1 with both values present.
   */
  @Test
  void positionSignsDoNotDependOnHowFarTheBatchIsPadded() {
    Embedding emb = new Embedding(store, "embed_positions", VOCAB, D);
    int[] rows = {0, 1, 2, 1};
    float[] unpadded = emb.rowPositionSigns(STEP_SEED, rows, new int[4], 5);
    float[] leftPadded = emb.rowPositionSigns(STEP_SEED, rows, new int[] {4, 4, 4, 4}, 9);
    float[] rightPadded = emb.rowPositionSigns(STEP_SEED, rows, new int[4], 9);
    for (int r = 0; r < rows.length; r++) {
      for (int t = 0; t < 5; t++) {
        assertThat(leftPadded[r * 9 + 4 + t]).isEqualTo(unpadded[r * 5 + t]);
        assertThat(rightPadded[r * 9 + t]).isEqualTo(unpadded[r * 5 + t]);
        assertThat(unpadded[3 * 5 + t]).isEqualTo(unpadded[5 + t]);
      }
    }
    assertThat(unpadded).containsOnly(1f, -1f).contains(1f, -1f);
    assertThat(emb.rowPositionSigns(STEP_SEED + 1, rows, new int[4], 5)).isNotEqualTo(unpadded);
    try (NDManager step = root.newSubManager()) {
      assertThat(emb.positionSigns(step, STEP_SEED, 3, 5).toFloatArray())
          .containsExactly(Arrays.copyOf(unpadded, 15));
    }
  }

  @Test
  void kindsSwitchOffIndependently() {
    LayerNorm norm = new LayerNorm(store, "ln", D, 1e-5f, true);
    norm.weight().set(store.manager().ones(new Shape(D)));
    norm.bias().set(store.manager().zeros(new Shape(D)));
    Embedding emb = new Embedding(store, "embed_tokens", VOCAB, D);
    emb.weight().set(gaussian(store.manager(), 1, VOCAB, D));
    try (NDManager step = root.newSubManager()) {
      NDArray ids = step.randomInteger(0, VOCAB, new Shape(B, T), DataType.INT64);
      NDArray embedded = emb.forward(ids);
      NDArray base = norm.forward(embedded);
      PerExamplePerturbation normOnly = PerExamplePerturbation.signed(STEP_SEED, SIGMA, B, 1, NORM);
      try (var applied = Perturbations.apply(store, normOnly)) {
        assertThat(applied.layers()).containsExactly(norm);
        assertThat(emb.perturbation()).isNull();
        assertThat(maxAbsDiff(emb.forward(ids), embedded)).isZero();
        assertThat(maxAbsDiff(norm.forward(emb.forward(ids)), base)).isGreaterThan(1e-2);
      }
      assertThatThrownBy(
              () ->
                  norm.setPerturbation(
                      PerExamplePerturbation.signed(STEP_SEED, SIGMA, B, 1, EMBEDDING)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ln");
      assertThat(maxAbsDiff(norm.forward(emb.forward(ids)), base)).isZero();
    }
  }
}
