package ai.attune.grzo.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Per-example losses of option-row batches on opt-tiny against a row-by-row hand computation. */
@Tag("engine")
class OptTaskLossTest {
  static NDManager root;
  static CausalLM lm;
  static TextTokenizer tok;
  static PromptEncoder encoder;
  static CausalReference ref;

  @BeforeAll
  static void load() {
    root = Engines.newManager(DevicePolicy.CPU);
    lm = Models.load(TaskTestData.dir("opt-tiny"), ComputeDtype.FLOAT32, root);
    tok = TextTokenizer.load(TaskTestData.dir("opt-tiny"));
    encoder = new PromptEncoder(tok, EncodingOptions.forModel(lm.info(), true, 64));
    ref = new CausalReference(lm, tok, root, 64);
  }

  @AfterAll
  static void close() {
    tok.close();
    lm.close();
    root.close();
  }

  static List<TaskExample> sst2(int n) {
    return TaskDatasets.load(
        MezoTask.SST2, TaskTestData.dir("tasks").resolve("sst2-synth/dev.jsonl"), n);
  }

  static List<TaskExample> cb() {
    List<String> options = List.of("Yes", "No", "Maybe");
    return List.of(
        new TaskExample(
            "cb:1",
            TaskObjective.CLASSIFICATION,
            "Suppose it rained. Can we infer" + " that \"the road is wet\"? Yes, No, or Maybe?\n",
            options,
            0,
            List.of()),
        new TaskExample(
            "cb:2",
            TaskObjective.CLASSIFICATION,
            "Suppose a dog ran. Can we infer" + " that \"a cat sat\"? Yes, No, or Maybe?\n",
            options,
            2,
            List.of()));
  }

  static List<TaskExample> copa() {
    return List.of(
        new TaskExample(
            "copa:1",
            TaskObjective.CHOICE_LANGUAGE_MODEL,
            "the man broke his toe" + " because",
            List.of(" he dropped a hammer.", " he got a hole in his sock."),
            0,
            List.of()),
        new TaskExample(
            "copa:2",
            TaskObjective.CHOICE_LANGUAGE_MODEL,
            "it got dark so",
            List.of(" the lights came on.", " birds sang."),
            1,
            List.of()));
  }

  static float[] losses(EncodedBatch batch) {
    return PerExampleLoss.standard().apply(lm, batch).toFloatArray();
  }

  @Test
  void classificationLossIsTheCrossEntropyOverMeanOptionLogProbs() {
    for (List<TaskExample> examples : List.of(sst2(5), cb())) {
      try (NDManager step = root.newSubManager()) {
        float[] got = losses(encoder.forTraining(examples, step));
        double[] want = examples.stream().mapToDouble(ref::classificationLoss).toArray();
        double diff = HandMath.maxAbsDiff(got, want);
        System.out.printf(
            "classification K=%d: max |loss - hand| = %.3g, losses %s%n",
            examples.get(0).options().size(), diff, Arrays.toString(got));
        assertThat(got).hasSize(examples.size());
        assertThat(diff).isLessThan(1e-5);
      }
    }
  }

  @Test
  void choiceAndGenerationLossesAreTheLmLossOfTheCorrectOption() {
    List<TaskExample> squad =
        List.of(
            new TaskExample(
                "squad:1",
                TaskObjective.GENERATION,
                "Title: paris\nContext: the city is paris\nQuestion: which city?\nAnswer:",
                List.of(" paris\n"),
                0,
                List.of("paris")));
    for (List<TaskExample> examples : List.of(copa(), squad)) {
      try (NDManager step = root.newSubManager()) {
        OptionRowsBatch train = encoder.forTraining(examples, step);
        assertThat(train.optionsPerExample()).isEqualTo(1);
        float[] got = losses(train);
        double[] want = examples.stream().mapToDouble(ref::lmLoss).toArray();
        double diff = HandMath.maxAbsDiff(got, want);
        System.out.printf("%s: max |loss - hand| = %.3g%n", examples.get(0).objective(), diff);
        assertThat(diff).isLessThan(1e-5);
        // scoring every option gives the same loss: that of the correct option
        float[] scored = losses(encoder.forScoring(examples, step));
        assertThat(HandMath.maxAbsDiff(scored, want)).isLessThan(1e-5);
      }
    }
  }

  @Test
  void rowsAreLeftPaddedWithBosFirstAndTheOptionTokensMarked() {
    List<TaskExample> examples = cb();
    try (NDManager step = root.newSubManager()) {
      OptionRowsBatch batch = encoder.forScoring(examples, step);
      int t = (int) batch.inputIds().getShape().get(1);
      long[] ids = batch.inputIds().toLongArray();
      long[] mask = batch.attentionMask().toLongArray();
      float[] options = batch.optionMask().toFloatArray();
      assertThat(batch.numRows()).isEqualTo(6);
      int longest = 0;
      for (int r = 0; r < 6; r++) {
        TaskExample e = examples.get(r / 3);
        long[] row = ref.row(e, r % 3);
        int optLen = ref.optionLength(e, r % 3);
        longest = Math.max(longest, optLen);
        int pad = t - row.length;
        for (int j = 0; j < t; j++) {
          int at = r * t + j;
          assertThat(ids[at]).isEqualTo(j < pad ? lm.info().padTokenId() : row[j - pad]);
          assertThat(mask[at]).isEqualTo(j < pad ? 0L : 1L);
          assertThat(options[at]).isEqualTo(j >= t - optLen ? 1f : 0f);
        }
        assertThat(batch.exampleOfRow(r)).isEqualTo(r / 3);
      }
      assertThat(ids[t - ref.row(examples.get(0), 0).length]).isEqualTo(2L); // OPT's </s>
      assertThat(batch.optionSpan()).isEqualTo(longest);
      assertThat(batch.labels()).containsExactly(0, 2);
    }
  }

  @Test
  void longRowsLoseTokensFromTheLeftButKeepBosAndTheOption() {
    PromptEncoder short16 = new PromptEncoder(tok, EncodingOptions.forModel(lm.info(), true, 16));
    TaskExample e = cb().get(0);
    long[] full = tok.encode(e.fullText(2));
    assertThat(full.length).isGreaterThan(15);
    try (NDManager step = root.newSubManager()) {
      OptionRowsBatch batch = short16.forScoring(List.of(e), step);
      assertThat(batch.inputIds().getShape().get(1)).isEqualTo(16);
      long[] row = Arrays.copyOfRange(batch.inputIds().toLongArray(), 32, 48);
      assertThat(row[0]).isEqualTo(lm.info().bosTokenId());
      assertThat(Arrays.copyOfRange(row, 1, 16))
          .containsExactly(Arrays.copyOfRange(full, full.length - 15, full.length));
      PromptEncoder tiny = new PromptEncoder(tok, EncodingOptions.forModel(lm.info(), true, 2));
      TaskExample longOption =
          new TaskExample(
              "t:9",
              TaskObjective.CLASSIFICATION,
              "it was",
              List.of(" the movie was great", " no"),
              0,
              List.of());
      assertThatThrownBy(() -> tiny.forScoring(List.of(longOption), step))
          .hasMessageContaining("t:9: option 0 is");
      assertThatThrownBy(() -> encoder.forScoring(List.of(e, copa().get(0)), step))
          .hasMessageContaining("copa:1: objective CHOICE_LANGUAGE_MODEL differs");
      assertThatThrownBy(() -> encoder.forScoring(List.of(e, sst2(1).get(0)), step))
          .hasMessageContaining("2 options, but the batch's first example has 3");
    }
  }

  @Test
  void aRepeatedBatchGivesIdenticalLossesForBothHalves() {
    List<TaskExample> examples = new ArrayList<>(sst2(3));
    try (NDManager step = root.newSubManager()) {
      OptionRowsBatch batch = encoder.forTraining(examples, step);
      OptionRowsBatch fused = batch.repeat(2);
      assertThat(fused.numExamples()).isEqualTo(6);
      assertThat(fused.numRows()).isEqualTo(12);
      assertThat(fused.labels()).containsExactly(concat(batch.labels(), batch.labels()));
      assertThat(fused.exampleOfRow(7)).isEqualTo(3);
      // per-example values reach their rows by repeating each K times (as EncodedBatch says)
      float[] perRow = step.create(new float[] {10, 20, 30}).repeat(0, 2).toFloatArray();
      assertThat(perRow).containsExactly(10, 10, 20, 20, 30, 30);
      float[] single = losses(batch);
      float[] both = losses(fused);
      double halves = 0;
      double vsSingle = 0;
      for (int i = 0; i < 3; i++) {
        halves = Math.max(halves, Math.abs(both[i] - both[i + 3]));
        vsSingle = Math.max(vsSingle, Math.abs(both[i] - single[i]));
      }
      System.out.printf(
          "fused 2B: max |first - second half| = %.3g, max |fused - B| = %.3g%n", halves, vsSingle);
      assertThat(halves).isLessThanOrEqualTo(1e-6);
      assertThat(vsSingle).isLessThan(1e-5);
    }
  }

  @Test
  void aPluggedForwardIsWhatTheLossUses() {
    AtomicInteger calls = new AtomicInteger();
    PerExampleLoss plugged =
        PerExampleLoss.withForward(
            model ->
                (ids, mask) -> {
                  calls.incrementAndGet();
                  return Forward.of(model).logits(ids, mask);
                });
    PerExampleLoss shifted =
        PerExampleLoss.withForward(
            model -> (ids, mask) -> Forward.of(model).logits(ids, mask).mul(0f));
    try (NDManager step = root.newSubManager()) {
      OptionRowsBatch batch = encoder.forTraining(cb(), step);
      float[] ofWholeLogits =
          TaskLosses.perExample(
                  batch, Forward.of(lm).logits(batch.inputIds(), batch.attentionMask()))
              .toFloatArray();
      assertThat(plugged.apply(lm, batch).toFloatArray()).containsExactly(ofWholeLogits);
      assertThat(calls.get()).isEqualTo(1);
      // the standard loss runs OPT's head on the option span only: the same up to rounding
      float[] standard = PerExampleLoss.standard().apply(lm, batch).toFloatArray();
      assertThat(standard).containsExactly(ofWholeLogits, within(1e-6f));
      // all-zero logits: every option scores log(1/V), so the loss is log(K) for every example
      float logK = (float) Math.log(3);
      assertThat(shifted.apply(lm, batch).toFloatArray())
          .containsExactly(new float[] {logK, logK}, within(1e-6f));
    }
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
