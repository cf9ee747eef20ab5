package ai.attune.models.qwen2vl;

import static ai.attune.models.TestData.maxAbsDiff;
import static ai.attune.models.qwen2vl.VlFixture.GRID;
import static ai.attune.models.qwen2vl.VlFixture.ids;
import static ai.attune.models.qwen2vl.VlFixture.mropeFloats;
import static ai.attune.models.qwen2vl.VlFixture.pixels;
import static ai.attune.models.qwen2vl.VlFixture.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.params.ParamKind;
import ai.attune.core.safetensors.HostTensor;
import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.attune.core.safetensors.SafetensorsWriter;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both checkpoint namings and both config layouts load the same model; bad shapes fail. */
@Tag("engine")
class Qwen25VlCheckpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void namesOfBothLayoutsMapExplicitly() {
    assertThat(
            Qwen25VlForConditionalGeneration.mapCheckpointName(
                "model.visual.blocks.0.norm1" + ".weight"))
        .contains("visual.blocks.0.norm1.weight");
    assertThat(
            Qwen25VlForConditionalGeneration.mapCheckpointName(
                "model.language_model.layers.1.mlp.up_proj.weight"))
        .contains("model.layers.1.mlp.up_proj.weight");
    assertThat(Qwen25VlForConditionalGeneration.mapCheckpointName("visual.merger.mlp.0.bias"))
        .contains("visual.merger.mlp.0.bias");
    assertThat(Qwen25VlForConditionalGeneration.mapCheckpointName("model.norm.weight"))
        .contains("model.norm.weight");
    assertThat(Qwen25VlForConditionalGeneration.mapCheckpointName("lm_head.weight"))
        .contains("lm_head.weight");
    assertThat(Qwen25VlForConditionalGeneration.mapCheckpointName("mtp.proj.weight")).isEmpty();
  }

  @Test
  void patchEmbeddingIsALinearWeightOverTheFlattenedPatch() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM lm = Models.load(VlFixture.dir(), ComputeDtype.FLOAT32, root)) {
      var p = lm.parameters().get("visual.patch_embed.proj.weight");
      assertThat(p.shape()).isEqualTo(new Shape(32, 1176));
      assertThat(p.kind()).isEqualTo(ParamKind.LINEAR_WEIGHT);
      assertThat(lm.parameters().aliases())
          .containsEntry("lm_head.weight", "model.embed_tokens.weight");
      try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(VlFixture.dir())) {
        float[] conv = ckpt.read("visual.patch_embed.proj.weight").toFloats();
        assertThat(p.value().toFloatArray()).containsExactly(conv); // same C order
      }
    }
  }

  @Test
  void transformers5NamesLoadTheSameModel() throws IOException {
    Path dir =
        copy(
            "v5",
            name ->
                name.startsWith("visual.")
                    ? "model." + name
                    : name.startsWith("model.")
                        ? "model.language_model." + name.substring(6)
                        : name);
    assertThat(mropeLogitsDiff(dir, "transformers-5 tensor names")).isLessThan(1e-4);
  }

  @Test
  void flatHubConfigLoadsTheSameModel() throws IOException {
    Path dir = copy("flat", UnaryOperator.identity());
    ObjectNode c = (ObjectNode) JSON.readTree(VlFixture.dir().resolve("config.json").toFile());
    ObjectNode text = (ObjectNode) c.remove("text_config");
    ObjectNode rope = (ObjectNode) text.remove("rope_parameters");
    text.remove("model_type");
    c.setAll(text);
    c.set("rope_theta", rope.get("rope_theta"));
    c.set("rope_scaling", JSON.readTree("{\"type\": \"mrope\", \"mrope_section\": [2, 3, 3]}"));
    JSON.writeValue(dir.resolve("config.json").toFile(), c);
    assertThat(mropeLogitsDiff(dir, "flat config layout")).isLessThan(1e-4);
  }

  @Test
  void patchEmbeddingOfAnotherShapeFailsNamingTheTensorAndBothShapes() throws IOException {
    Path dir = copy("flatkernel", UnaryOperator.identity());
    List<HostTensor> tensors = new ArrayList<>();
    try (SafetensorsCheckpoint src = SafetensorsCheckpoint.open(VlFixture.dir())) {
      for (String name : src.names()) {
        HostTensor t = src.read(name);
        tensors.add(
            name.equals("visual.patch_embed.proj.weight")
                ? new HostTensor(name, t.dtype(), new long[] {32, 1176}, t.data())
                : t);
      }
    }
    SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of());
    try (NDManager root = Engines.newManager(DevicePolicy.CPU)) {
      assertThatThrownBy(() -> Models.load(dir, ComputeDtype.FLOAT32, root))
          .hasMessageContaining(
              "tensor visual.patch_embed.proj.weight has shape (32, 1176)"
                  + " but parameter visual.patch_embed.proj.weight expects (32, 3, 2, 14, 14)"
                  + " (held as (32, 1176))");
    }
  }

  /** The fixture's weights under renamed tensors, with its config, in a folder of its own. */
  private Path copy(String name, UnaryOperator<String> rename) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.copy(VlFixture.dir().resolve("config.json"), dir.resolve("config.json"));
    List<HostTensor> tensors = new ArrayList<>();
    try (SafetensorsCheckpoint src = SafetensorsCheckpoint.open(VlFixture.dir())) {
      for (String n : src.names()) {
        tensors.add(src.read(n).withName(rename.apply(n)));
      }
    }
    SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of());
    return dir;
  }

  private static double mropeLogitsDiff(Path dir, String what) {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM lm = Models.load(dir, ComputeDtype.FLOAT32, root)) {
      assertThat(lm.parameters().parameters().values()).allMatch(p -> p.isLoaded());
      NDArray ids = ids(root);
      CausalLM prompt =
          ((Qwen25VlForConditionalGeneration) lm)
              .withImages(ids, ids.onesLike(), pixels(root), GRID);
      double diff =
          maxAbsDiff(
              prompt.forward(ids, ids.onesLike(), null).toFloatArray(),
              mropeFloats("mrope_logits"));
      report(what + ": M-RoPE logits vs HF", diff);
      return diff;
    }
  }
}
