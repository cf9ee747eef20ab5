package ai.attune.models.opt;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.LanguageModel;
import ai.attune.models.Models;
import ai.attune.models.TestData;
import ai.attune.models.layers.Embedding;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The rows each model's embedding tables look up, named from the batch's tokens alone ({@link
 * LanguageModel#embeddingRows}), are those its forward computes: OPT's position ids on a
 * left-padded batch, and every table of every model is named.
 */
@Tag("engine")
class OptEmbeddingRowsTest {
  private static final long[][] ROWS = {
    {-1, -1, 11, 12, 13}, {20, 21, 22, 23, 24}, {-1, 7, 8, 9, 4}
  };

  @Test
  void positionRowsAreTheForwardsPositionIdsOnALeftPaddedBatch() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        LanguageModel model =
            Models.loadAny(TestData.dir("opt-tiny"), ComputeDtype.FLOAT32, root)) {
      Map<String, long[][]> rows = model.embeddingRows(ROWS);
      long[][] positions = rows.get("model.decoder.embed_positions");
      long[] mask = new long[15];
      for (int r = 0; r < 3; r++) {
        for (int t = 0; t < 5; t++) {
          mask[r * 5 + t] = ROWS[r][t] < 0 ? 0 : 1;
        }
      }
      NDArray ids = OptForCausalLM.positionIds(root.create(mask).reshape(3, 5), 5);
      long[] forward = ids.toLongArray();
      for (int r = 0; r < 3; r++) {
        for (int t = 0; t < 5; t++) {
          long expected = ROWS[r][t] < 0 ? -1 : forward[r * 5 + t];
          assertThat(positions[r][t]).as("row %d position %d", r, t).isEqualTo(expected);
        }
      }
      assertThat(positions[0]).containsExactly(-1, -1, 2, 3, 4);
      assertThat(rows.get("model.decoder.embed_tokens")).isDeepEqualTo(ROWS);
    }
  }

  @Test
  void everyEmbeddingTableOfEveryModelIsNamed() {
    for (String fixture :
        new String[] {"opt-tiny", "llama3-tiny", "qwen2-tiny", "roberta-tiny", "qwen2_5_vl-tiny"}) {
      try (NDManager root = Engines.newManager(DevicePolicy.CPU);
          LanguageModel model = Models.loadAny(TestData.dir(fixture), ComputeDtype.FLOAT32, root)) {
        assertThat(model.embeddingRows(ROWS).keySet())
            .as(fixture)
            .containsExactlyInAnyOrderElementsOf(
                model.parameters().modules(Embedding.class).stream().map(Embedding::name).toList());
        assertThat(model.embeddingRows(ROWS).values())
            .allSatisfy(r -> assertThat(r).hasDimensions(3, 5));
      }
    }
  }
}
