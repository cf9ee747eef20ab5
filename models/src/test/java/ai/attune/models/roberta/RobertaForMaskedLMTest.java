package ai.attune.models.roberta;

import static ai.attune.models.TestData.maxAbsDiff;
import static ai.attune.models.TestData.referenceFloats;
import static ai.attune.models.TestData.referenceLongs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.safetensors.HostTensor;
import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.attune.core.safetensors.SafetensorsDtype;
import ai.attune.core.safetensors.SafetensorsWriter;
import ai.attune.models.LanguageModel;
import ai.attune.models.LanguageModelLoss;
import ai.attune.models.MaskedLM;
import ai.attune.models.Models;
import ai.attune.models.TestData;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RoBERTa against the masked-LM logits HF transformers computed for roberta-tiny. */
@Tag("engine")
class RobertaForMaskedLMTest {
  static final String MODEL = "roberta-tiny";
  static final int VOCAB = 512;
  static final int ROW = 12 * VOCAB;

  @TempDir Path tmp;

  @Test
  void logitsMatchHfForEveryRowIncludingTheRightPaddedOne() {
    float[] got = logits(TestData.dir(MODEL));
    float[] want = referenceFloats(MODEL, "logits");
    assertThat(got).hasSize(3 * ROW);
    for (int row = 0; row < 3; row++) {
      double diff =
          maxAbsDiff(
              Arrays.copyOfRange(got, row * ROW, (row + 1) * ROW),
              Arrays.copyOfRange(want, row * ROW, (row + 1) * ROW));
      System.out.printf("roberta-tiny row %d: max abs diff vs HF logits %.3g%n", row, diff);
      assertThat(diff).as("row %d", row).isLessThan(1e-4);
    }
    assertThat(referenceLongs(MODEL, "attention_mask"))
        .as("row 2 is right-padded")
        .endsWith(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0);
  }

  @Test
  void hundredForwardPassesDoNotGrowTheLiveArrays() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        MaskedLM lm = Models.loadMasked(TestData.dir(MODEL), ComputeDtype.FLOAT32, root)) {
      int baseline = root.getManagedArrays().size();
      assertThat(baseline).isEqualTo(lm.parameters().parameters().size());
      for (int i = 0; i < 100; i++) {
        try (NDManager step = root.newSubManager()) {
          NDArray ids = ids(step);
          NDArray mask = mask(step);
          NDArray logits = lm.forwardEmbeddings(lm.embed(ids), ids, mask);
          LanguageModelLoss.perExampleAtOwnPosition(logits, ids, mask).toFloatArray();
        }
        assertThat(root.getManagedArrays().size())
            .as("live arrays after pass %d", i)
            .isEqualTo(baseline);
      }
    }
  }

  @Test
  void bfloat16CheckpointGivesTheLogitsOfItsWidenedWeights() throws IOException {
    List<HostTensor> half = new ArrayList<>();
    List<HostTensor> widened = new ArrayList<>();
    for (HostTensor t : tensors()) {
      HostTensor h = t.convert(SafetensorsDtype.BF16);
      half.add(h);
      widened.add(HostTensor.ofFloats(t.name(), h.shape(), h.toFloats()));
    }
    float[] fromHalf = logits(checkpoint("bf16", half));
    assertThat(maxAbsDiff(fromHalf, logits(checkpoint("widened", widened)))).isLessThan(1e-6);
    // and rounding the weights to bfloat16 moved the logits only a little
    assertThat(maxAbsDiff(fromHalf, referenceFloats(MODEL, "logits"))).isLessThan(0.05);
  }

  @Test
  void missingOutputBiasIsNamed() throws IOException {
    Path dir =
        checkpoint(
            "nobias",
            edit(
                ts -> {
                  ts.removeIf(t -> t.name().equals("lm_head.bias"));
                  return ts;
                }));
    assertThatThrownBy(() -> logits(dir))
        .hasMessageContaining("missing")
        .hasMessageContaining("lm_head.bias")
        .hasMessageContaining(dir.toString());
  }

  @Test
  void olderCheckpointNamesLoadToTheSameLogits() throws IOException {
    Path dir =
        checkpoint(
            "legacy",
            edit(
                ts -> {
                  for (HostTensor t : List.copyOf(ts)) {
                    if (t.name().equals("roberta.embeddings.word_embeddings.weight")) {
                      ts.add(t.withName("lm_head.decoder.weight"));
                    } else if (t.name().equals("lm_head.bias")) {
                      ts.add(t.withName("lm_head.decoder.bias"));
                    }
                  }
                  ts.add(
                      HostTensor.ofLongs(
                          "roberta.embeddings.position_ids", new long[] {1, 40}, new long[40]));
                  return ts;
                }));
    assertThat(maxAbsDiff(logits(dir), referenceFloats(MODEL, "logits"))).isLessThan(1e-4);
    assertThat(RobertaForMaskedLM.mapCheckpointName("roberta.embeddings.position_ids")).isEmpty();
    assertThat(RobertaForMaskedLM.mapCheckpointName("roberta.pooler.dense.weight")).isEmpty();
    assertThat(RobertaForMaskedLM.mapCheckpointName("lm_head.decoder.weight"))
        .contains("lm_head.decoder.weight");
  }

  @Test
  void tiedDuplicateOfTheWrongShapeIsRefused() throws IOException {
    Path dir =
        checkpoint(
            "badtie",
            edit(
                ts -> {
                  ts.add(
                      HostTensor.ofFloats(
                          "lm_head.decoder.bias", new long[] {511}, new float[511]));
                  return ts;
                }));
    assertThatThrownBy(() -> logits(dir))
        .hasMessageContaining("lm_head.decoder.bias")
        .hasMessageContaining("(511)")
        .hasMessageContaining("(512)");
  }

  @Test
  void causalLoadRefusesTheMaskedLmAndLoadAnyGivesIt() {
    Path dir = TestData.dir(MODEL);
    try (NDManager root = Engines.newManager(DevicePolicy.CPU)) {
      assertThatThrownBy(() -> Models.load(dir, ComputeDtype.FLOAT32, root))
          .hasMessageContaining("config.json")
          .hasMessageContaining("'roberta' is a masked LM");
      assertThatThrownBy(
              () -> Models.loadMasked(TestData.dir("opt-tiny"), ComputeDtype.FLOAT32, root))
          .hasMessageContaining("'opt' is not a masked LM");
      try (LanguageModel lm = Models.loadAny(dir, ComputeDtype.FLOAT32, root)) {
        assertThat(lm).isInstanceOf(RobertaForMaskedLM.class);
        assertThat(lm.info().modelType()).isEqualTo("roberta");
        assertThat(lm.info().padTokenId()).isEqualTo(1);
      }
      assertThat(root.getManagedArrays()).isEmpty();
    }
  }

  @Test
  void positionsCountFromThePaddingIndexOverTheIds() {
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      NDArray ids = m.create(new long[] {0, 7, 9, 1, 1, 1, 1, 0, 7, 2}).reshape(2, 5);
      assertThat(RobertaForMaskedLM.positionIds(ids, 1).toLongArray())
          .containsExactly(2, 3, 4, 1, 1, 1, 1, 2, 3, 4);
    }
  }

  @Test
  void ownPositionLossIsTheMeanCrossEntropyOfTheUnpaddedTokens() {
    float[] ref = referenceFloats(MODEL, "logits");
    long[] ids = referenceLongs(MODEL, "input_ids");
    long[] mask = referenceLongs(MODEL, "attention_mask");
    float[] want = new float[3];
    for (int b = 0; b < 3; b++) {
      double sum = 0;
      int count = 0;
      for (int t = 0; t < 12; t++) {
        if (mask[b * 12 + t] == 1) {
          int at = (b * 12 + t) * VOCAB;
          sum -= logSoftmax(Arrays.copyOfRange(ref, at, at + VOCAB), (int) ids[b * 12 + t]);
          count++;
        }
      }
      want[b] = (float) (sum / count);
    }
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      NDArray logits = m.create(ref).reshape(3, 12, VOCAB);
      float[] got =
          LanguageModelLoss.perExampleAtOwnPosition(logits, ids(m), mask(m)).toFloatArray();
      assertThat(maxAbsDiff(got, want)).isLessThan(1e-5);
    }
  }

  private static double logSoftmax(float[] row, int index) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : row) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : row) {
      sum += Math.exp(v - max);
    }
    return row[index] - max - Math.log(sum);
  }

  static NDArray ids(NDManager m) {
    return m.create(referenceLongs(MODEL, "input_ids")).reshape(3, 12);
  }

  static NDArray mask(NDManager m) {
    return m.create(referenceLongs(MODEL, "attention_mask")).reshape(3, 12);
  }

  static float[] logits(Path dir) {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        MaskedLM lm = Models.loadMasked(dir, ComputeDtype.FLOAT32, root)) {
      return lm.forward(ids(root), mask(root)).toFloatArray();
    }
  }

  private static List<HostTensor> tensors() {
    List<HostTensor> out = new ArrayList<>();
    try (SafetensorsCheckpoint src = SafetensorsCheckpoint.open(TestData.dir(MODEL))) {
      for (String name : src.names()) {
        HostTensor t = src.read(name); // copied: a read may view the file, closed below
        out.add(HostTensor.ofFloats(name, t.shape(), t.toFloats()));
      }
    }
    return out;
  }

  private static List<HostTensor> edit(UnaryOperator<List<HostTensor>> change) {
    return change.apply(tensors());
  }

  private Path checkpoint(String name, List<HostTensor> tensors) throws IOException {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir);
    Files.copy(TestData.dir(MODEL).resolve("config.json"), dir.resolve("config.json"));
    SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of());
    return dir;
  }
}
