package ai.attune.models.attribution;

import static ai.attune.models.TestData.referenceFloats;
import static ai.attune.models.TestData.referenceLongs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.TestData;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autograd through the models, checked against HF: the gradient of Σ_{j=6..11} log p(ids[j] |
 * ids[:j]) (row 0) with respect to the input embeddings, as gradient×input and as 8-step integrated
 * gradients with a zero baseline.
 */
@Tag("engine")
class InputGradientsTest {

  /** |got - want| <= 1e-4 |want| + 1e-7 for every element (per-token attributions). */
  static void assertRelativelyClose(float[] got, float[] want) {
    assertThat(got).hasSameSizeAs(want);
    for (int i = 0; i < want.length; i++) {
      double tol = 1e-4 * Math.abs(want[i]) + 1e-7;
      assertThat((double) Math.abs(got[i] - want[i]))
          .as("token %d: %s vs %s", i, Arrays.toString(got), Arrays.toString(want))
          .isLessThanOrEqualTo(tol);
    }
  }

  /** max |got - want| <= 1e-4 max |want| (the raw gradient, whose elements vary in scale). */
  static void assertCloseToScale(float[] got, float[] want) {
    double scale = 0;
    for (float w : want) {
      scale = Math.max(scale, Math.abs(w));
    }
    assertThat(TestData.maxAbsDiff(got, want)).isLessThanOrEqualTo(1e-4 * scale);
  }

  @ParameterizedTest
  @ValueSource(strings = {"opt-tiny", "llama3-tiny", "qwen2-tiny"})
  void gradientTimesInputAndIntegratedGradientsMatchHf(String name) {
    long[] ids = Arrays.copyOf(referenceLongs(name, "input_ids"), 12); // row 0
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM model = Models.load(TestData.dir(name), ComputeDtype.FLOAT32, root)) {
      NDArray input = root.create(ids).reshape(1, 12);
      NDArray mask = input.onesLike();
      NDArray embeds = model.embed(input);
      assertThat(TestData.maxAbsDiff(embeds.toFloatArray(), referenceFloats(name, "attr_embeds")))
          .isLessThan(1e-6);
      AttributionTarget target = AttributionTarget.tokenLogProb(ids, 6, 12);
      NDArray grad = InputGradients.gradient(model, embeds, mask, target);
      assertCloseToScale(grad.toFloatArray(), referenceFloats(name, "attr_grad"));
      float[] gxi = InputGradients.gradientTimesInput(model, embeds, mask, target).toFloatArray();
      assertRelativelyClose(gxi, referenceFloats(name, "attr_grad_x_input"));
      float[] ig =
          InputGradients.integratedGradients(model, embeds, null, mask, target, 8).toFloatArray();
      assertRelativelyClose(
          ig, referenceFloats(name, "attr_integrated_gradients_zero_baseline_8_right_riemann"));
    }
  }

  @Test
  void targetOverSeveralRangesIsTheSumOfTheRangesTargets() {
    long[] ids = Arrays.copyOf(referenceLongs("opt-tiny", "input_ids"), 12);
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM model = Models.load(TestData.dir("opt-tiny"), ComputeDtype.FLOAT32, root)) {
      NDArray logits =
          model.forward(
              root.create(ids).reshape(1, 12),
              root.ones(new ai.djl.ndarray.types.Shape(1, 12), ai.djl.ndarray.types.DataType.INT64),
              null);
      float both =
          AttributionTarget.tokenLogProb(ids, List.of(new TokenRange(9, 12), new TokenRange(6, 8)))
              .perRow(logits)
              .getFloat(0);
      float first = AttributionTarget.tokenLogProb(ids, 6, 8).perRow(logits).getFloat(0);
      float second = AttributionTarget.tokenLogProb(ids, 9, 12).perRow(logits).getFloat(0);
      assertThat(both).isCloseTo(first + second, offset(1e-5f));
      assertThat(both).isLessThan(0f);
    }
    assertThatThrownBy(
            () ->
                AttributionTarget.tokenLogProb(
                    ids, List.of(new TokenRange(6, 9), new TokenRange(8, 12))))
        .hasMessage("target ranges [6, 9) and [8, 12) overlap");
  }

  @Test
  void integratedGradientsInSeveralPassesEqualOnePassAndGiveTheTargetAtTheInput() {
    long[] ids = Arrays.copyOf(referenceLongs("llama3-tiny", "input_ids"), 12);
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM model = Models.load(TestData.dir("llama3-tiny"), ComputeDtype.FLOAT32, root)) {
      int params = root.getManagedArrays().size();
      try (NDManager step = root.newSubManager()) {
        NDArray input = step.create(ids).reshape(1, 12);
        NDArray mask = input.onesLike();
        NDArray embeds = model.embed(input);
        AttributionTarget target = AttributionTarget.tokenLogProb(ids, 6, 12);
        float[] onePass =
            InputGradients.integratedGradients(model, embeds, null, mask, target, 8).toFloatArray();
        InputGradients.PathAttribution passes =
            InputGradients.integratedGradientsWithTarget(model, embeds, null, mask, target, 8, 3);
        assertThat(TestData.maxAbsDiff(passes.scores().toFloatArray(), onePass)).isLessThan(1e-6);
        float direct = target.perRow(model.forwardEmbeddings(embeds, mask, null)).getFloat(0);
        assertThat(passes.targetAtInput()).isCloseTo(direct, offset(1e-5f));
        int before = step.getManagedArrays().size();
        InputGradients.integratedGradientsWithTarget(model, embeds, null, mask, target, 8, 8);
        int afterOnePass = step.getManagedArrays().size();
        InputGradients.integratedGradientsWithTarget(model, embeds, null, mask, target, 8, 1);
        assertThat(step.getManagedArrays().size() - afterOnePass)
            .as("eight passes leave no more arrays than one")
            .isEqualTo(afterOnePass - before);
      }
      assertThat(root.getManagedArrays().size()).isEqualTo(params);
    }
  }
}
