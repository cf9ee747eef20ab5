package ai.attune.models.roberta;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.MaskedLM;
import ai.attune.models.Models;
import ai.attune.models.TestData;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** RoBERTa's position and token-type rows, named from the tokens, are those its forward reads. */
@Tag("engine")
class RobertaEmbeddingRowsTest {
  @Test
  void positionRowsAreTheForwardsPositionIdsWithPadding() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        MaskedLM lm = Models.loadMasked(TestData.dir("roberta-tiny"), ComputeDtype.FLOAT32, root)) {
      int pad = lm.info().padTokenId();
      long[][] rows = {{0, 31, 32, 2, -1, -1}, {0, 41, 42, 43, 44, 2}};
      long[] ids = new long[12];
      for (int r = 0; r < 2; r++) {
        for (int t = 0; t < 6; t++) {
          ids[r * 6 + t] = rows[r][t] < 0 ? pad : rows[r][t];
        }
      }
      long[] forward =
          RobertaForMaskedLM.positionIds(root.create(ids).reshape(2, 6), pad).toLongArray();
      Map<String, long[][]> named = lm.embeddingRows(rows);
      long[][] positions = named.get("roberta.embeddings.position_embeddings");
      for (int r = 0; r < 2; r++) {
        for (int t = 0; t < 6; t++) {
          long expected = rows[r][t] < 0 ? -1 : forward[r * 6 + t];
          assertThat(positions[r][t]).as("row %d position %d", r, t).isEqualTo(expected);
        }
      }
      assertThat(positions[0]).containsExactly(pad + 1, pad + 2, pad + 3, pad + 4, -1, -1);
      assertThat(named.get("roberta.embeddings.token_type_embeddings")[0])
          .containsExactly(0, 0, 0, 0, -1, -1);
    }
  }
}
