package ai.attune.models.qwen2vl;

import static ai.attune.models.qwen2vl.VlFixture.GRID;
import static ai.attune.models.qwen2vl.VlFixture.ids;
import static ai.attune.models.qwen2vl.VlFixture.pixels;
import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.params.Parameter;
import ai.attune.models.HiddenStateLM;
import ai.attune.models.Models;
import ai.attune.models.attribution.AttributionTarget;
import ai.attune.models.attribution.InputGradients;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Per-layer activation recomputation gives the gradients of a plain backward: with respect to the
 * input embeddings and to every decoder parameter, through the image view's M-RoPE.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("engine")
class RecomputedBackwardTest {
  private NDManager root;
  private Qwen25VlForConditionalGeneration vl;
  private List<Parameter> trained;

  @BeforeAll
  void load() {
    root = Engines.newManager(DevicePolicy.CPU);
    vl =
        (Qwen25VlForConditionalGeneration) Models.load(VlFixture.dir(), ComputeDtype.FLOAT32, root);
    trained = new ArrayList<>();
    for (Parameter p : vl.parameters().parameters().values()) {
      if (p.name().startsWith("model.layers.") || p.name().equals("model.norm.weight")) {
        p.value().setRequiresGradient(true);
        trained.add(p);
      }
    }
  }

  @AfterAll
  void close() {
    vl.close();
    root.close();
  }

  /** A loss over the head at a few positions, as the policy loss has. */
  static Function<NDArray, NDArray> loss(HiddenStateLM model, NDManager m) {
    return hidden -> {
      NDArray rows =
          hidden.reshape(-1, hidden.getShape().get(2)).get(m.create(new long[] {4, 11, 19, 20}));
      NDArray logp = model.headLogits(rows).logSoftmax(-1);
      return logp.get(":, 3").mul(m.create(new float[] {0.5f, -1f, 2f, 0.25f})).sum();
    };
  }

  float[][] parameterGradients() {
    float[][] out = new float[trained.size()][];
    for (int i = 0; i < out.length; i++) {
      NDArray g = trained.get(i).value().getGradient();
      out[i] = g.toFloatArray();
      g.subi(g); // zero for the next run
      g.close();
    }
    return out;
  }

  @Test
  void recomputedGradientsEqualThePlainBackward() {
    try (NDManager step = root.newSubManager()) {
      NDArray ids = ids(step);
      HiddenStateLM prompt = vl.bindImages(ids, ids.onesLike(), pixels(step), GRID);
      NDArray embeds = prompt.embed(ids).stopGradient();
      parameterGradients();
      NDArray x = embeds.duplicate();
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
        gc.backward(loss(prompt, step).apply(prompt.forwardHidden(x, ids.onesLike(), null)));
      }
      float[] plainInput = x.getGradient().toFloatArray();
      float[][] plain = parameterGradients();
      NDArray g = prompt.backwardRecomputing(embeds, ids.onesLike(), loss(prompt, step));
      float[] recomputedInput = g.toType(DataType.FLOAT32, false).toFloatArray();
      float[][] recomputed = parameterGradients();
      double diff = maxDiff(plainInput, recomputedInput);
      double scale = maxAbs(plainInput);
      for (int i = 0; i < plain.length; i++) {
        diff = Math.max(diff, maxDiff(plain[i], recomputed[i]));
        scale = Math.max(scale, maxAbs(plain[i]));
      }
      System.out.printf(
          "recomputed vs plain backward: max abs diff %.3g (gradients up to %.3g)"
              + " over the input and %d parameters%n",
          diff, scale, plain.length);
      assertThat(scale).isGreaterThan(1e-2);
      assertThat(diff).isLessThan(1e-5);
    }
  }

  @Test
  void integratedGradientsWithRecomputationEqualThePlainOnes() {
    try (NDManager step = root.newSubManager()) {
      for (Parameter p : trained) {
        p.value().setRequiresGradient(false); // as a trainer attributes: parameters frozen
      }
      NDArray ids = ids(step);
      NDArray mask = ids.onesLike();
      HiddenStateLM prompt = vl.bindImages(ids, mask, pixels(step), GRID);
      AttributionTarget target = AttributionTarget.tokenLogProb(ids.toLongArray(), 17, 21);
      NDArray embeds = prompt.embed(ids);
      InputGradients.PathAttribution plain =
          InputGradients.integratedGradientsWithTarget(
              prompt, embeds, null, mask, target, 4, 2, false);
      InputGradients.PathAttribution recomputed =
          InputGradients.integratedGradientsWithTarget(
              prompt, embeds, null, mask, target, 4, 2, true);
      float[] a = plain.scores().toFloatArray();
      double diff = maxDiff(a, recomputed.scores().toFloatArray());
      System.out.printf(
          "IG scores, recomputed vs plain: max abs diff %.3g (scores up to %.3g)%n",
          diff, maxAbs(a));
      assertThat(maxAbs(a)).isGreaterThan(1e-3);
      assertThat(diff).isLessThan(1e-6);
      assertThat(recomputed.targetAtInput()).isEqualTo(plain.targetAtInput());
    } finally {
      for (Parameter p : trained) {
        p.value().setRequiresGradient(true);
      }
    }
  }

  static double maxDiff(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }

  static double maxAbs(float[] a) {
    double d = 0;
    for (float v : a) {
      d = Math.max(d, Math.abs(v));
    }
    return d;
  }
}
