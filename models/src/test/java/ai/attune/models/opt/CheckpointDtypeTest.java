package ai.attune.models.opt;

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
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.TestData;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** float16 and bfloat16 checkpoints give the float32 logits of their widened weights. */
@Tag("engine")
class CheckpointDtypeTest {
  @TempDir Path tmp;

  @Test
  void hfWrittenBfloat16CheckpointGivesLogitsOfItsWidenedWeights() {
    String model = "opt-tiny-bf16";
    try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(TestData.dir(model))) {
      String any = ckpt.names().iterator().next();
      assertThat(ckpt.info(any).dtype()).isEqualTo(SafetensorsDtype.BF16);
    }
    assertThat(maxAbsDiff(logits(TestData.dir(model)), referenceFloats(model, "logits")))
        .isLessThan(1e-4);
  }

  @ParameterizedTest
  @EnumSource(
      value = SafetensorsDtype.class,
      names = {"F16", "BF16"})
  void halfCheckpointEqualsFloat32CheckpointOfTheWidenedValues(SafetensorsDtype dtype)
      throws IOException {
    Path half = tmp.resolve("half");
    Path widened = tmp.resolve("widened");
    List<HostTensor> halfTensors = new ArrayList<>();
    List<HostTensor> widenedTensors = new ArrayList<>();
    try (SafetensorsCheckpoint src = SafetensorsCheckpoint.open(TestData.dir("opt-tiny"))) {
      for (String name : src.names()) {
        HostTensor h = src.read(name).convert(dtype);
        halfTensors.add(h);
        widenedTensors.add(HostTensor.ofFloats(name, h.shape(), h.toFloats()));
      }
    }
    for (Path dir : List.of(half, widened)) {
      Files.createDirectories(dir);
      Files.copy(TestData.dir("opt-tiny").resolve("config.json"), dir.resolve("config.json"));
    }
    SafetensorsWriter.write(half.resolve("model.safetensors"), halfTensors, Map.of());
    SafetensorsWriter.write(widened.resolve("model.safetensors"), widenedTensors, Map.of());
    float[] fromHalf = logits(half);
    assertThat(maxAbsDiff(fromHalf, logits(widened))).isLessThan(1e-6);
    // and the rounding of the weights moved the logits only a little
    assertThat(maxAbsDiff(fromHalf, referenceFloats("opt-tiny", "logits"))).isLessThan(0.05);
  }

  private static float[] logits(Path dir) {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM lm = Models.load(dir, ComputeDtype.FLOAT32, root)) {
      NDArray ids = root.create(referenceLongs("opt-tiny", "input_ids")).reshape(3, 12);
      NDArray mask = root.create(referenceLongs("opt-tiny", "attention_mask")).reshape(3, 12);
      return lm.forward(ids, mask, null).toFloatArray();
    }
  }
}
