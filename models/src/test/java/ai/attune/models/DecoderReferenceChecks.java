package ai.attune.models;

import static ai.attune.models.TestData.maxAbsDiff;
import static ai.attune.models.TestData.referenceFloats;
import static ai.attune.models.TestData.referenceLongs;
import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.safetensors.HostTensor;
import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.attune.core.safetensors.SafetensorsDtype;
import ai.attune.core.safetensors.SafetensorsWriter;
import ai.attune.models.layers.KvCache;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks every decoder passes against the logits, losses and generations HF transformers
 * computed for its tiny fixture, plus the consistency of cached, padded and batched passes.
 * Subclasses name the fixture folder.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DecoderReferenceChecks {
  protected NDManager root;
  protected CausalLM lm;

  /** The fixture folder under {@code src-test-data/}. */
  protected abstract String model();

  @BeforeAll
  void load() {
    root = Engines.newManager(DevicePolicy.CPU);
    lm = Models.load(TestData.dir(model()), ComputeDtype.FLOAT32, root);
  }

  @AfterAll
  void close() {
    lm.close();
    root.close();
  }

  protected NDArray ids(NDManager m) {
    return m.create(referenceLongs(model(), "input_ids")).reshape(3, 12);
  }

  protected NDArray mask(NDManager m) {
    return m.create(referenceLongs(model(), "attention_mask")).reshape(3, 12);
  }

  private void report(String what, double diff) {
    System.out.printf("%s %s: max abs diff %.3g%n", model(), what, diff);
  }

  @Test
  void logitsMatchHfForEveryRowIncludingPadding() {
    try (NDManager step = root.newSubManager()) {
      float[] logits = lm.forward(ids(step), mask(step), null).toFloatArray();
      double diff = maxAbsDiff(logits, referenceFloats(model(), "logits"));
      report("logits vs HF", diff);
      assertThat(diff).isLessThan(1e-4);
    }
  }

  @Test
  void perExampleLossMatchesHf() {
    try (NDManager step = root.newSubManager()) {
      NDArray logits = lm.forward(ids(step), mask(step), null);
      float[] loss = LanguageModelLoss.perExample(logits, ids(step), mask(step)).toFloatArray();
      double diff = maxAbsDiff(loss, referenceFloats(model(), "per_example_loss"));
      report("per-example loss vs HF", diff);
      assertThat(diff).isLessThan(1e-5);
    }
  }

  /** Greedy generation of 8 tokens; the rows' sequences concatenated. */
  private long[] greedy(NDArray ids, NDArray mask) {
    return TestData.greedy(lm, ids, mask, 8);
  }

  @Test
  void greedyGenerationEqualsHfTokenForToken() {
    try (NDManager step = root.newSubManager()) {
      long[] prompt = referenceLongs(model(), "generate_prompt");
      NDArray input = step.create(prompt).reshape(1, prompt.length);
      assertThat(greedy(input, input.onesLike()))
          .containsExactly(referenceLongs(model(), "generate_greedy"));
    }
  }

  @Test
  void cachedTokenByTokenPassGivesTheLogitsOfTheFullPass() {
    try (NDManager step = root.newSubManager();
        KvCache cache = lm.newCache(step)) {
      NDArray ids = ids(step);
      NDArray mask = mask(step);
      float[] full = lm.forward(ids, mask, null).get(":, 5:, :").toFloatArray();
      lm.forward(ids.get(":, :5"), mask.get(":, :5"), cache);
      NDArray[] steps = new NDArray[7];
      for (int t = 5; t < 12; t++) {
        steps[t - 5] =
            lm.forward(ids.get(":, " + t + ":" + (t + 1)), mask.get(":, :" + (t + 1)), cache);
      }
      float[] cached = NDArrays.concat(new NDList(steps), 1).toFloatArray();
      double diff = maxAbsDiff(full, cached);
      report("cached vs full pass", diff);
      assertThat(diff).isLessThan(1e-5);
      assertThat(cache.length()).isEqualTo(12);
    }
  }

  @Test
  void leftPaddedRowGivesTheLogitsOfTheSameTokensUnpadded() {
    try (NDManager step = root.newSubManager()) {
      long[] mask1 = mask(step).get("1").toLongArray();
      int pad = 0;
      while (mask1[pad] == 0) {
        pad++;
      }
      assertThat(pad).as("row 1 of the fixture is left-padded").isEqualTo(3);
      float[] padded =
          lm.forward(ids(step), mask(step), null).get("1:2, " + pad + ":, :").toFloatArray();
      NDArray alone = ids(step).get("1:2, " + pad + ":");
      float[] unpadded = lm.forward(alone, alone.onesLike(), null).toFloatArray();
      double diff = maxAbsDiff(padded, unpadded);
      report("left-padded row vs unpadded", diff);
      assertThat(diff).isLessThan(1e-5);
    }
  }

  @Test
  void batchedLeftPaddedGenerationEqualsEachPromptAlone() {
    try (NDManager step = root.newSubManager()) {
      long[] a = referenceLongs(model(), "generate_prompt"); // 6 tokens
      long[] b = ids(step).get("2, :4").toLongArray(); // 4 real tokens of row 2
      long padId = lm.info().padTokenId();
      NDArray batch =
          step.create(
                  new long[] {
                    a[0], a[1], a[2], a[3], a[4], a[5], padId, padId, b[0], b[1], b[2], b[3]
                  })
              .reshape(2, 6);
      NDArray mask = step.create(new long[] {1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1}).reshape(2, 6);
      long[] together = greedy(batch, mask);
      long[] aloneA = greedy(batch.get(":1"), mask.get(":1"));
      NDArray promptB = batch.get("1:2, 2:");
      long[] aloneB = greedy(promptB, promptB.onesLike());
      assertThat(Arrays.copyOfRange(together, 6, 14))
          .containsExactly(Arrays.copyOfRange(aloneA, 6, 14));
      assertThat(Arrays.copyOfRange(together, 20, 28))
          .containsExactly(Arrays.copyOfRange(aloneB, 4, 12));
    }
  }

  @Test
  void cachedStepsLeaveOnlyTheCacheEntriesBehind() {
    int params = lm.parameters().parameters().size();
    assertThat(root.getManagedArrays()).hasSize(params);
    long[] ids = referenceLongs(model(), "input_ids");
    try (NDManager gen = root.newSubManager();
        KvCache cache = lm.newCache(gen)) {
      for (int t = 0; t < 12; t++) {
        try (NDManager step = gen.newSubManager()) {
          NDArray token = step.create(new long[] {ids[t], ids[12 + t], ids[24 + t]}).reshape(3, 1);
          NDArray mask = step.ones(new Shape(3, t + 1), DataType.INT64);
          lm.forward(token, mask, cache).toFloatArray();
        }
        assertThat(root.getManagedArrays())
            .as("live arrays after step %d", t)
            .hasSize(params + 2 * lm.info().numLayers()); // the cached keys and values
      }
    }
    assertThat(root.getManagedArrays()).hasSize(params);
  }

  @Test
  void float16ComputeStaysCloseToTheFloat32Logits() {
    try (NDManager step = root.newSubManager();
        CausalLM half = Models.load(TestData.dir(model()), ComputeDtype.FLOAT16, step)) {
      NDArray logits = half.forward(ids(step), mask(step), null);
      assertThat(logits.getDataType()).isEqualTo(DataType.FLOAT32);
      double diff = maxAbsDiff(logits.toFloatArray(), referenceFloats(model(), "logits"));
      report("float16 compute vs HF float32 logits", diff);
      assertThat(diff).isLessThan(0.005);
    }
  }

  @Test
  void bfloat16CheckpointGivesTheLogitsOfItsWidenedWeights(@TempDir Path tmp) throws IOException {
    Path half = tmp.resolve("bf16");
    Path widened = tmp.resolve("widened");
    List<HostTensor> halfTensors = new ArrayList<>();
    List<HostTensor> widenedTensors = new ArrayList<>();
    try (SafetensorsCheckpoint src = SafetensorsCheckpoint.open(TestData.dir(model()))) {
      for (String name : src.names()) {
        HostTensor h = src.read(name).convert(SafetensorsDtype.BF16);
        halfTensors.add(h);
        widenedTensors.add(HostTensor.ofFloats(name, h.shape(), h.toFloats()));
      }
    }
    for (Path dir : List.of(half, widened)) {
      Files.createDirectories(dir);
      Files.copy(TestData.dir(model()).resolve("config.json"), dir.resolve("config.json"));
    }
    SafetensorsWriter.write(half.resolve("model.safetensors"), halfTensors, Map.of());
    SafetensorsWriter.write(widened.resolve("model.safetensors"), widenedTensors, Map.of());
    float[] fromHalf = logitsOf(half);
    double diff = maxAbsDiff(fromHalf, logitsOf(widened));
    report("bf16 checkpoint vs widened float32 checkpoint", diff);
    assertThat(diff).isLessThan(1e-6);
    double rounding = maxAbsDiff(fromHalf, referenceFloats(model(), "logits"));
    report("bf16 checkpoint vs HF float32 logits", rounding);
    assertThat(rounding).isGreaterThan(0).isLessThan(0.05);
  }

  private float[] logitsOf(Path dir) {
    try (NDManager step = root.newSubManager();
        CausalLM model = Models.load(dir, ComputeDtype.FLOAT32, step)) {
      return model.forward(ids(step), mask(step), null).toFloatArray();
    }
  }
}
