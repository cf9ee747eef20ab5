package ai.attune.grzo.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.grzo.tasks.EncodedBatch;
import ai.attune.grzo.tasks.EncodingOptions;
import ai.attune.grzo.tasks.MezoTask;
import ai.attune.grzo.tasks.PerExampleLoss;
import ai.attune.grzo.tasks.PromptEncoder;
import ai.attune.grzo.tasks.TaskDatasets;
import ai.attune.grzo.tasks.TaskExample;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The task batch as the optimizers see it, on opt-tiny and five synthetic SST-2 examples. */
@Tag("engine")
class TaskBatchLossTest {

  @Test
  void rowsTokensAndLossesFollowTheEncodedBatch() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM lm = Models.load(TrainFixtures.data("opt-tiny"), ComputeDtype.FLOAT32, root);
        TextTokenizer tok = TextTokenizer.load(TrainFixtures.data("opt-tiny"));
        NDManager step = root.newSubManager()) {
      List<TaskExample> examples =
          TaskDatasets.load(MezoTask.SST2, TrainFixtures.data("tasks/sst2-synth/dev.jsonl"), 5);
      PromptEncoder encoder = new PromptEncoder(tok, EncodingOptions.forModel(lm.info(), true, 32));
      EncodedBatch batch = encoder.forTraining(examples, step);
      TaskBatchLoss loss = new TaskBatchLoss(lm, batch, PerExampleLoss.standard());

      assertThat(loss.examples()).isEqualTo(5);
      assertThat(loss.rowExamples()).containsExactly(0, 0, 1, 1, 2, 2, 3, 3, 4, 4);
      long[] ids = batch.inputIds().toLongArray();
      long[] mask = batch.attentionMask().toLongArray();
      long[][] rows = loss.rowTokens();
      int t = rows[0].length;
      int padded = 0;
      for (int r = 0; r < rows.length; r++) {
        for (int j = 0; j < t; j++) {
          long want = mask[r * t + j] == 0 ? -1 : ids[r * t + j];
          assertThat(rows[r][j]).isEqualTo(want);
          padded += want == -1 ? 1 : 0;
        }
      }
      assertThat(padded).isPositive();

      float[] direct = PerExampleLoss.standard().apply(lm, batch).toFloatArray();
      double[] once = loss.evaluate(1);
      double[] twice = loss.evaluate(2);
      assertThat(once).hasSize(5);
      assertThat(twice).hasSize(10);
      for (int i = 0; i < 5; i++) {
        assertThat(once[i]).isEqualTo((double) direct[i]);
        assertThat(twice[i]).isCloseTo(once[i], org.assertj.core.data.Offset.offset(1e-6));
        assertThat(twice[5 + i]).isEqualTo(twice[i]);
      }
    }
  }
}
