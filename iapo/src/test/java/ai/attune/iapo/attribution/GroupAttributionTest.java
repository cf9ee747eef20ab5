package ai.attune.iapo.attribution;

import static ai.attune.models.qwen2vl.chat.BlockKind.IMAGE;
import static ai.attune.models.qwen2vl.chat.BlockKind.QUESTION;
import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.Models;
import ai.attune.models.attribution.TokenRange;
import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.attune.models.qwen2vl.chat.RenderedPrompt.TokenSpan;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Attributing a group of inputs with the vision tower run once per run of equal images gives the
 * results of attributing each input on its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("engine")
class GroupAttributionTest {
  private static final List<TokenSpan> BLOCKS =
      List.of(
          new TokenSpan(QUESTION, 0, 3),
          new TokenSpan(IMAGE, 4, 16),
          new TokenSpan(QUESTION, 16, 17));

  private NDManager root;
  private Qwen25VlForConditionalGeneration vl;

  private int threads;

  @BeforeAll
  void load() {
    root = Engines.newManager(DevicePolicy.CPU);
    threads = JniUtils.getNumThreads();
    JniUtils.setNumThreads(1); // tiny tensors: a second OpenMP thread only waits for a core
    vl =
        (Qwen25VlForConditionalGeneration)
            Models.load(Fixtures.dir(Fixtures.VL), ComputeDtype.FLOAT32, root);
  }

  @AfterAll
  void close() {
    vl.close();
    root.close();
    JniUtils.setNumThreads(threads);
  }

  @Test
  void groupedAttributionsEqualOneAtATime() {
    long[] ids = Fixtures.longs(Fixtures.VL, "reference.safetensors", "input_ids");
    ProcessedImage shared = Fixtures.vlImage();
    ProcessedImage equalCopy = Fixtures.vlImage();
    List<AttributionInput> inputs = new ArrayList<>();
    int[][] targets = {{17, 21}, {18, 20}, {19, 21}};
    for (int i = 0; i < targets.length; i++) {
      List<TokenRange> t = List.of(new TokenRange(targets[i][0], targets[i][1]));
      inputs.add(new AttributionInput(ids, BLOCKS, t, t, List.of(i == 1 ? equalCopy : shared)));
    }
    List<TokenRange> text = List.of(new TokenRange(3, 5));
    long[] noImage = {ids[0], ids[1], ids[2], ids[17], ids[18]};
    inputs.add(
        new AttributionInput(
            noImage, List.of(new TokenSpan(QUESTION, 0, 3)), text, text, List.of()));
    BlockAttribution ig =
        new BlockAttribution(AttributionConfig.integratedGradients(2, Baseline.zeros()));
    List<AttributionResult> grouped = ig.attributeAll(vl, inputs, root);
    assertThat(grouped).hasSize(inputs.size());
    double diff = 0;
    for (int i = 0; i < inputs.size(); i++) {
      AttributionResult alone = ig.attribute(vl, inputs.get(i), root);
      assertThat(grouped.get(i).tokenScores()).hasSameSizeAs(alone.tokenScores());
      diff = Math.max(diff, Fixtures.maxAbsDiff(grouped.get(i).tokenScores(), alone.tokenScores()));
      assertThat(grouped.get(i).targetLogProb())
          .isCloseTo(alone.targetLogProb(), org.assertj.core.api.Assertions.within(1e-6));
    }
    System.out.printf("grouped vs one at a time: max abs diff of token scores %.3g%n", diff);
    assertThat(diff).isLessThan(1e-6);
    assertThat(BlockAttribution.sameImages(List.of(shared), List.of(equalCopy))).isTrue();
    assertThat(root.getManagedArrays()).hasSize(vl.parameters().parameters().size());
  }
}
