package ai.attune.iapo.train;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.HfExport;
import ai.attune.models.Models;
import ai.attune.models.init.RandomInit;
import ai.attune.models.qwen2vl.Qwen25VlConfig;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A random-weight Qwen2.5-VL checkpoint folder of a chosen text-decoder shape, for benchmarks when
 * no checkpoint of that size is at hand: the template folder's {@code config.json} with the
 * decoder's sizes replaced, its tokenizer and processor files, and weights drawn by {@link
 * RandomInit} (std 0.02, seeded). The vocabulary and the vision tower stay the template's.
 */
public final class RandomCheckpoint {
  private RandomCheckpoint() {}

  /**
   * A text-decoder shape. {@code mrope_section} is scaled to the head size (HF's [16, 24, 24] for
   * 128).
   */
  public record Shape(int hidden, int layers, int heads, int kvHeads, int intermediate) {
    public Shape {
      if (hidden < 1 || layers < 1 || heads < 1 || kvHeads < 1 || intermediate < 1) {
        throw new IllegalArgumentException("every size of a random shape must be >= 1");
      }
      if (hidden % heads != 0 || heads % kvHeads != 0 || (hidden / heads) % 16 != 0) {
        throw new IllegalArgumentException(
            "random shape: hidden ("
                + hidden
                + ") must be a"
                + " multiple of heads ("
                + heads
                + ") with a head size divisible by 16, heads a"
                + " multiple of kv_heads ("
                + kvHeads
                + ")");
      }
    }

    /** Parses {@code hidden=1024,layers=8,heads=8,kv_heads=2,intermediate=2816}. */
    public static Shape parse(String spec) {
      Map<String, Integer> v =
          new LinkedHashMap<>(
              Map.of("hidden", 512, "layers", 4, "heads", 8, "kv_heads", 2, "intermediate", 1408));
      for (String part : spec.split(",")) {
        String[] kv = part.trim().split("=");
        if (kv.length != 2 || !v.containsKey(kv[0].trim())) {
          throw new IllegalArgumentException(
              "random shape '"
                  + spec
                  + "': '"
                  + part
                  + "' is not one of "
                  + v.keySet()
                  + " = an integer");
        }
        try {
          v.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "random shape '" + spec + "': '" + part + "' is not an integer", e);
        }
      }
      return new Shape(
          v.get("hidden"),
          v.get("layers"),
          v.get("heads"),
          v.get("kv_heads"),
          v.get("intermediate"));
    }

    /** A folder name for this shape. */
    public String folderName() {
      return String.format(
          Locale.ROOT,
          "qwen2_5_vl-random-h%d-l%d-a%d-kv%d-i%d",
          hidden,
          layers,
          heads,
          kvHeads,
          intermediate);
    }
  }

  /**
   * The folder {@code parent/shape.folderName()}, written first when it holds no {@code
   * model.safetensors}.
   */
  public static Path ensure(Path template, Shape shape, Path parent, long seed) throws IOException {
    Path dir = parent.resolve(shape.folderName());
    if (Files.exists(dir.resolve("model.safetensors"))) {
      return dir;
    }
    Files.createDirectories(dir);
    for (String name :
        new String[] {
          "tokenizer.json",
          "tokenizer_config.json",
          "preprocessor_config.json",
          "generation_config.json",
          "chat_template.json"
        }) {
      if (Files.exists(template.resolve(name))) {
        Files.copy(
            template.resolve(name),
            dir.resolve(name),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode config = (ObjectNode) json.readTree(template.resolve("config.json").toFile());
    ObjectNode text = config.has("text_config") ? (ObjectNode) config.get("text_config") : config;
    text.put("hidden_size", shape.hidden());
    text.put("num_hidden_layers", shape.layers());
    text.put("num_attention_heads", shape.heads());
    text.put("num_key_value_heads", shape.kvHeads());
    text.put("intermediate_size", shape.intermediate());
    text.put(
        "max_position_embeddings", Math.max(32768, text.path("max_position_embeddings").asInt(0)));
    if (text.has("layer_types")) {
      var types = text.putArray("layer_types");
      for (int i = 0; i < shape.layers(); i++) {
        types.add("full_attention");
      }
    }
    int half = shape.hidden() / shape.heads() / 2;
    int[] section = {half / 4, 3 * half / 8, half - half / 4 - 3 * half / 8};
    for (ObjectNode rope :
        new ObjectNode[] {
          (ObjectNode) text.get("rope_parameters"),
          (ObjectNode) text.get("rope_scaling"),
          (ObjectNode) config.get("rope_scaling")
        }) {
      if (rope != null && rope.has("mrope_section")) {
        rope.putArray("mrope_section").add(section[0]).add(section[1]).add(section[2]);
      }
    }
    if (config.has("vision_config")) {
      ((ObjectNode) config.get("vision_config")).put("out_hidden_size", shape.hidden());
    }
    json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
    try (NDManager m = Engines.newManager(DevicePolicy.CPU);
        Qwen25VlForConditionalGeneration model =
            new Qwen25VlForConditionalGeneration(
                Qwen25VlConfig.read(Models.readConfig(dir)), ComputeDtype.FLOAT32, m)) {
      RandomInit.fill(model.parameters(), 0.02, seed, ComputeDtype.FLOAT32.dataType());
      HfExport.write(model, dir, dir);
    }
    return dir;
  }
}
