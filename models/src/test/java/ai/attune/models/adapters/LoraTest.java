package ai.attune.models.adapters;

import static ai.attune.models.TestData.referenceLongs;
import static ai.attune.models.adapters.PerturbationCases.gaussian;
import static ai.attune.models.adapters.PerturbationCases.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.params.Parameter;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.TestData;
import ai.attune.models.layers.Linear;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** LoRA on opt-tiny: parameters, exact identity at init, merge and unmerge. */
@Tag("engine")
class LoraTest {
  static final String MODEL = "opt-tiny";
  static final LoraConfig QV = new LoraConfig(4, 8f, List.of("q_proj", "v_proj"), 7L);

  NDManager root;
  CausalLM lm;

  @BeforeEach
  void load() {
    root = Engines.newManager(DevicePolicy.CPU);
    lm = Models.load(TestData.dir(MODEL), ComputeDtype.FLOAT32, root);
  }

  @AfterEach
  void close() {
    lm.close();
    root.close();
  }

  NDArray logits(NDManager m) {
    NDArray ids = m.create(referenceLongs(MODEL, "input_ids")).reshape(3, 12);
    NDArray mask = m.create(referenceLongs(MODEL, "attention_mask")).reshape(3, 12);
    return lm.forward(ids, mask, null);
  }

  @Test
  void applyAddsTwoMatricesPerTargetedLayerAndFreezesEverythingElse() {
    ParameterStore store = lm.parameters();
    int before = store.parameters().size();
    Lora lora = Lora.apply(store, QV);
    int layers = lm.info().numLayers();
    assertThat(store.parameters()).hasSize(before + 2 * layers * 2);
    List<String> trainable =
        store.parameters().values().stream()
            .filter(Parameter::trainable)
            .map(Parameter::name)
            .collect(Collectors.toList());
    assertThat(trainable)
        .containsExactly(
            "model.decoder.layers.0.self_attn.q_proj.lora_A.weight",
            "model.decoder.layers.0.self_attn.q_proj.lora_B.weight",
            "model.decoder.layers.0.self_attn.v_proj.lora_A.weight",
            "model.decoder.layers.0.self_attn.v_proj.lora_B.weight",
            "model.decoder.layers.1.self_attn.q_proj.lora_A.weight",
            "model.decoder.layers.1.self_attn.q_proj.lora_B.weight",
            "model.decoder.layers.1.self_attn.v_proj.lora_A.weight",
            "model.decoder.layers.1.self_attn.v_proj.lora_B.weight");
    assertThat(lora.parameters()).extracting(Parameter::name).containsExactlyElementsOf(trainable);
    LoraWeights first = lora.layers().get(0);
    assertThat(first.a().shape()).isEqualTo(new Shape(4, 64));
    assertThat(first.b().shape()).isEqualTo(new Shape(64, 4));
    assertThat(first.scale()).isEqualTo(2f);
    assertThat(first.a().value().hasGradient()).isTrue();
    assertThat(first.b().value().hasGradient()).isTrue();
    assertThat(first.b().value().abs().max().getFloat()).isZero();
    float bound = (float) (1 / Math.sqrt(64));
    assertThat(first.a().value().abs().max().getFloat())
        .isLessThanOrEqualTo(bound)
        .isGreaterThan(0.9f * bound);
    assertThatThrownBy(() -> Lora.apply(store, QV))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already has LoRA");
  }

  @Test
  void initialisationIsSeededAndAllLinearSkipsNothingButTheHead() {
    float[] a =
        Lora.apply(lm.parameters(), new LoraConfig(2, 2f, List.of("all-linear"), 3L))
            .layers()
            .get(0)
            .a()
            .value()
            .toFloatArray();
    assertThat(lm.parameters().modules(Linear.class)).allMatch(l -> l.lora() != null);
    try (CausalLM twin = Models.load(TestData.dir(MODEL), ComputeDtype.FLOAT32, root)) {
      Lora again = Lora.apply(twin.parameters(), new LoraConfig(2, 2f, List.of("fc1"), 3L));
      assertThat(again.layers()).hasSize(2);
      assertThat(again.layers().get(0).layer()).isEqualTo("model.decoder.layers.0.fc1");
      assertThatThrownBy(
              () -> Lora.apply(twin.parameters(), new LoraConfig(2, 2f, List.of("gate_proj"), 3L)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("q_proj");
    }
    try (CausalLM twin = Models.load(TestData.dir(MODEL), ComputeDtype.FLOAT32, root)) {
      float[] same =
          Lora.apply(twin.parameters(), new LoraConfig(2, 2f, List.of("q_proj"), 3L))
              .layers()
              .get(0)
              .a()
              .value()
              .toFloatArray();
      assertThat(same).containsExactly(a);
    }
  }

  @Test
  void atInitialisationTheLogitsEqualTheBaseModelExactly() {
    try (NDManager step = root.newSubManager()) {
      float[] base = logits(step).toFloatArray();
      Lora.apply(lm.parameters(), QV);
      assertThat(logits(step).toFloatArray()).containsExactly(base);
    }
  }

  @Test
  void mergedEqualsUnmergedAndUnmergeRestoresTheWeights() {
    Lora lora = Lora.apply(lm.parameters(), QV);
    NDManager params = lm.parameters().manager();
    Map<String, float[]> original = new java.util.HashMap<>();
    long seed = 100;
    for (LoraWeights w : lora.layers()) {
      w.a().set(gaussian(params, seed++, 4, 64).mul(0.3f));
      w.b().set(gaussian(params, seed++, 64, 4).mul(0.3f));
      original.put(w.layer(), weightOf(w.layer()).value().toFloatArray());
    }
    try (NDManager step = root.newSubManager()) {
      float[] base;
      try (CausalLM plain = Models.load(TestData.dir(MODEL), ComputeDtype.FLOAT32, root)) {
        NDArray ids = step.create(referenceLongs(MODEL, "input_ids")).reshape(3, 12);
        NDArray mask = step.create(referenceLongs(MODEL, "attention_mask")).reshape(3, 12);
        base = plain.forward(ids, mask, null).toFloatArray();
      }
      NDArray unmerged = logits(step);
      lora.merge();
      assertThat(lora.merged()).isTrue();
      NDArray merged = logits(step);
      double mergeDiff = maxAbsDiff(merged, unmerged);
      double moved = maxAbsDiff(unmerged, step.create(base, unmerged.getShape()));
      lora.unmerge();
      double restore = 0;
      for (LoraWeights w : lora.layers()) {
        float[] now = weightOf(w.layer()).value().toFloatArray();
        restore = Math.max(restore, TestData.maxAbsDiff(now, original.get(w.layer())));
      }
      double after = maxAbsDiff(logits(step), unmerged);
      System.out.printf(
          "lora opt-tiny: |merged - unmerged| = %.3g, |lora - base| = %.3g, "
              + "|W after unmerge - W| = %.3g, |logits after unmerge - unmerged| = %.3g%n",
          mergeDiff, moved, restore, after);
      assertThat(moved).isGreaterThan(1e-2);
      assertThat(mergeDiff).isLessThan(1e-5);
      assertThat(restore).isLessThan(1e-6);
      assertThat(after).isLessThan(1e-5);
      assertThatThrownBy(lora::unmerge).isInstanceOf(IllegalStateException.class);
    }
  }

  private Parameter weightOf(String layer) {
    List<Linear> found = new ArrayList<>();
    for (Linear l : lm.parameters().modules(Linear.class)) {
      if (l.name().equals(layer)) {
        found.add(l);
      }
    }
    assertThat(found).hasSize(1);
    return found.get(0).weight();
  }
}
