package demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.attune.models.CausalLM;
import ai.attune.models.LanguageModelLoss;
import ai.attune.models.Models;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Loads the tiny OPT through the installed Attune modules and checks HF's per-example loss. */
class TinyOptLossTest {
  @Test
  void perExampleLossMatchesTransformers() {
    Path dir = Path.of(System.getProperty("model"));
    try (SafetensorsCheckpoint ref = SafetensorsCheckpoint.open(dir.resolve("reference.safetensors"));
        NDManager root = Engines.newManager(DevicePolicy.parse("cpu"));
        CausalLM lm = Models.load(dir, ComputeDtype.FLOAT32, root)) {
      NDArray ids = root.create(ref.read("input_ids").toLongs(), new Shape(3, 12));
      NDArray mask = root.create(ref.read("attention_mask").toLongs(), new Shape(3, 12));
      NDArray loss = LanguageModelLoss.perExample(lm.forward(ids, mask, null), ids, mask);
      assertArrayEquals(ref.read("per_example_loss").toFloats(), loss.toFloatArray(), 1e-5f);
    }
  }
}
