package ai.attune.models.qwen2vl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.config.ConfigException;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.TestData;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading {@code preprocessor_config.json} as HF writes it, and the NDArray view. */
@Tag("engine")
class Qwen2VlImageProcessorConfigTest {
  @Test
  void qwen25VlCheckpointFileIsRead(@TempDir Path dir) throws Exception {
    // The fields of Qwen/Qwen2.5-VL-*-Instruct's preprocessor_config.json.
    Files.writeString(
        dir.resolve("preprocessor_config.json"),
        """
        {"min_pixels": 3136, "max_pixels": 12845056, "patch_size": 14,
         "temporal_patch_size": 2, "merge_size": 2,
         "image_mean": [0.48145466, 0.4578275, 0.40821073],
         "image_std": [0.26862954, 0.26130258, 0.27577711],
         "image_processor_type": "Qwen2VLImageProcessor",
         "processor_class": "Qwen2_5_VLProcessor"}""");
    Qwen2VlImageProcessorConfig c = Qwen2VlImageProcessorConfig.load(dir);
    assertThat(c.maxPixels()).isEqualTo(12845056);
    assertThat(c.minPixels()).isEqualTo(3136);
    assertThat(c.factor()).isEqualTo(28);
    assertThat(c.imageMean()).isEqualTo(Qwen2VlImageProcessorConfig.CLIP_MEAN);
  }

  @Test
  void sizeKeysAreRead(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("preprocessor_config.json"),
        """
        {"size": {"shortest_edge": 6272, "longest_edge": 200704}, "resample": 3,
         "rescale_factor": 0.00392156862745098, "do_normalize": true}""");
    Qwen2VlImageProcessorConfig c = Qwen2VlImageProcessorConfig.load(dir);
    assertThat(c.minPixels()).isEqualTo(6272);
    assertThat(c.maxPixels()).isEqualTo(200704);
    assertThat(c.patchSize()).isEqualTo(14);
    // min_pixels/max_pixels override size, as in HF
    Files.writeString(
        dir.resolve("preprocessor_config.json"),
        """
        {"size": {"min_pixels": 6272, "max_pixels": 200704}, "max_pixels": 100352}""");
    c = Qwen2VlImageProcessorConfig.load(dir);
    assertThat(c.minPixels()).isEqualTo(6272);
    assertThat(c.maxPixels()).isEqualTo(100352);
  }

  @Test
  void absentFileGivesDefaults() {
    assertThat(Qwen2VlImageProcessorConfig.load(TestData.dir("qwen2_5_vl-tiny")))
        .isEqualTo(Qwen2VlImageProcessorConfig.DEFAULTS);
    assertThat(Qwen2VlImageProcessorConfig.DEFAULTS.maxPixels()).isEqualTo(1003520);
  }

  @Test
  void badFieldsAreNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("preprocessor_config.json");
    Files.writeString(file, "{\"resample\": 2}");
    assertThatThrownBy(() -> Qwen2VlImageProcessorConfig.load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("resample");
    Files.writeString(file, "{\"image_std\": [0.5, 0.5]}");
    assertThatThrownBy(() -> Qwen2VlImageProcessorConfig.load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("image_std");
    Files.writeString(file, "{\"min_pixels\": 5000, \"max_pixels\": 4000}");
    assertThatThrownBy(() -> Qwen2VlImageProcessorConfig.load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("min_pixels <= max_pixels");
  }

  @Test
  void toNDArrayHasTheShapeAndValues() {
    ProcessedImage img =
        new Qwen2VlImageProcessor(Qwen2VlImageProcessorConfig.DEFAULTS)
            .process(TestData.dir("qwen2_5_vl-tiny").resolve("image.png"));
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      NDArray pv = img.toNDArray(m);
      assertThat(pv.getShape().getShape()).containsExactly(48, 1176);
      assertThat(pv.getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(pv.toFloatArray()).containsExactly(img.pixelValues());
      assertThat(img.gridThwNDArray(m).toLongArray()).containsExactly(1, 6, 8);
    }
  }
}
