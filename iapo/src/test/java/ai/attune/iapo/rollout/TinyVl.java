package ai.attune.iapo.rollout;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.iapo.data.VqaDatasets;
import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.tools.ToolRegistry;
import ai.attune.iapo.tools.image.HighlightTool;
import ai.attune.iapo.tools.image.ZoomInTool;
import ai.attune.models.Models;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.attune.models.qwen2vl.Qwen2VlImageProcessor;
import ai.attune.models.text.TextTokenizer;
import ai.attune.testsupport.FixturePaths;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.List;

/**
 * The tiny Qwen2.5-VL student (random weights, vocab 512) with its tokenizer and image processor,
 * the synthetic chart set, and a registry of the two tools the demonstrations use. Tools are not
 * rendered into the prompt in these tests (their schemas would multiply the sequence length on
 * CPU); calls are executed all the same.
 */
public final class TinyVl implements AutoCloseable {
  public static final String MODEL = "qwen2_5_vl-tiny";

  private final int threads;
  public final NDManager root;
  public final Qwen25VlForConditionalGeneration model;
  public final TextTokenizer tokenizer;
  public final Qwen2VlImageProcessor processor;

  /**
   * Loads the fixture and runs the engine on one intra-op thread until {@link #close()}: these
   * tensors are tiny, and on a shared two-core machine a second OpenMP thread spinning for a busy
   * core made each training step 25 times slower (5 s instead of 0.2 s, measured).
   */
  public TinyVl() {
    root = Engines.newManager(DevicePolicy.CPU);
    threads = JniUtils.getNumThreads();
    JniUtils.setNumThreads(1);
    Path dir = FixturePaths.of(MODEL);
    model = (Qwen25VlForConditionalGeneration) Models.load(dir, ComputeDtype.FLOAT32, root);
    tokenizer = TextTokenizer.load(dir);
    processor = Qwen2VlImageProcessor.load(dir);
  }

  /** highlight and zoom_in (zoom to a short side of 112 pixels, to keep images small). */
  public static ToolRegistry registry() {
    return new ToolRegistry().register(new HighlightTool()).register(new ZoomInTool(112));
  }

  public static List<VqaExample> train() {
    return VqaDatasets.load(FixturePaths.of("charts-synth").resolve("train.jsonl"));
  }

  public static List<VqaExample> test() {
    return VqaDatasets.load(FixturePaths.of("charts-synth").resolve("test.jsonl"));
  }

  /** Short turns, no tool definitions in the prompt. */
  public static RolloutConfig config(int maxTurns, int maxNewTokens) {
    return RolloutConfig.builder()
        .optMaxTurns(maxTurns)
        .optMaxNewTokensPerTurn(maxNewTokens)
        .optOfferTools(false)
        .build();
  }

  @Override
  public void close() {
    tokenizer.close();
    root.close();
    JniUtils.setNumThreads(threads);
  }
}
