package ai.attune.iapo.memory;

import ai.attune.core.config.JsonConfig;
import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.params.Parameter;
import ai.attune.models.llama.LlamaConfig;
import ai.attune.models.qwen2vl.Qwen25VlConfig;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The sizes of a Qwen2.5-VL model that its memory depends on: parameter counts (counted from the
 * parameters the model declares for its {@code config.json}, so they are exact and tied weights
 * count once) and the text decoder's dimensions.
 *
 * @param source the {@code config.json} read
 * @param parameters all parameters
 * @param visionParameters those of the vision tower ({@code visual.*})
 * @param largestParameter elements of the largest parameter
 * @param text the text decoder's configuration
 */
public record ModelSize(
    Path source, long parameters, long visionParameters, long largestParameter, LlamaConfig text) {

  /** Reads {@code configJson} and counts the parameters it declares (no weights are loaded). */
  public static ModelSize of(Path configJson) {
    Qwen25VlConfig c = Qwen25VlConfig.read(JsonConfig.read(configJson));
    try (NDManager m = Engines.newManager(DevicePolicy.CPU);
        Qwen25VlForConditionalGeneration vl =
            new Qwen25VlForConditionalGeneration(c, ComputeDtype.FLOAT32, m)) {
      long all = 0;
      long vision = 0;
      long largest = 0;
      for (Parameter p : distinct(vl)) {
        long n = p.shape().size();
        all += n;
        vision += p.name().startsWith("visual.") ? n : 0;
        largest = Math.max(largest, n);
      }
      return new ModelSize(configJson, all, vision, largest, c.text());
    }
  }

  /**
   * Parameters that train: with LoRA ({@code loraTargets} non-null) {@code rank · (in + out)} per
   * adapted linear layer of the language model; otherwise every parameter, without the vision
   * tower's unless {@code trainVision}.
   */
  public long trainable(List<String> loraTargets, int loraRank, boolean trainVision) {
    if (loraTargets == null) {
      return trainVision ? parameters : parameters - visionParameters;
    }
    LlamaConfig t = text;
    long d = t.hiddenSize();
    long kv = (long) t.numKvHeads() * t.headDim();
    long q = (long) t.numHeads() * t.headDim();
    long perLayer = 0;
    boolean all = loraTargets.contains("all-linear");
    long[][] linears = {
      {d, q},
      {d, kv},
      {d, kv},
      {q, d},
      {d, t.intermediateSize()},
      {d, t.intermediateSize()},
      {t.intermediateSize(), d}
    };
    String[] names = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
    for (int i = 0; i < names.length; i++) {
      if (all || loraTargets.contains(names[i])) {
        perLayer += (long) loraRank * (linears[i][0] + linears[i][1]);
      }
    }
    return perLayer * t.numLayers();
  }

  private static Set<Parameter> distinct(Qwen25VlForConditionalGeneration vl) {
    Set<Parameter> out = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Parameter p : vl.parameters().parameters().values()) {
      out.add(p);
    }
    return out;
  }
}
