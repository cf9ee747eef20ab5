package ai.attune.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.params.Parameter;
import ai.attune.core.safetensors.SafetensorsFile;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exported folder loads back to the same parameters, bit for bit, with the source folder's
 * config and tokenizer beside it and the given metadata in the header; Qwen2.5-VL's patch embedding
 * goes back to its Conv3d shape.
 */
@Tag("engine")
class HfExportTest {
  @TempDir Path tmp;

  @Test
  void exportedModelsLoadBackBitForBit() throws Exception {
    for (String name : new String[] {"opt-tiny", "llama3-tiny", "qwen2_5_vl-tiny"}) {
      Path source = TestData.dir(name);
      Path target = tmp.resolve(name);
      try (NDManager root = Engines.newManager(DevicePolicy.CPU);
          LanguageModel model = Models.loadAny(source, ComputeDtype.FLOAT32, root)) {
        HfExport.write(model, source, target, Map.of("step", "7"));
        try (LanguageModel back = Models.loadAny(target, ComputeDtype.FLOAT32, root)) {
          Map<String, Parameter> a = model.parameters().parameters();
          Map<String, Parameter> b = back.parameters().parameters();
          assertThat(b.keySet()).as(name).isEqualTo(a.keySet());
          for (String p : a.keySet()) {
            assertThat(
                    Arrays.equals(a.get(p).value().toFloatArray(), b.get(p).value().toFloatArray()))
                .as(name + " " + p)
                .isTrue();
          }
        }
      }
      assertThat(Files.mismatch(source.resolve("config.json"), target.resolve("config.json")))
          .isEqualTo(-1L);
      assertThat(target.resolve("tokenizer.json")).exists();
      try (SafetensorsFile f = SafetensorsFile.open(target.resolve("model.safetensors"))) {
        assertThat(f.metadata()).containsEntry("step", "7").containsEntry("format", "pt");
        if (name.startsWith("qwen")) {
          try (SafetensorsFile src = SafetensorsFile.open(source.resolve("model.safetensors"))) {
            String conv = "visual.patch_embed.proj.weight";
            assertThat(f.tensors().get(conv).shape()).isEqualTo(src.tensors().get(conv).shape());
          }
        }
      }
    }
  }
}
