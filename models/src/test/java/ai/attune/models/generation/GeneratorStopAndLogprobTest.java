package ai.attune.models.generation;

import static ai.attune.models.generation.GeneratorTest.leftPadded;
import static ai.attune.models.generation.GeneratorTest.prompts;
import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.TestData;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Stop tokens end rows (padded afterwards); log-probabilities match a full forward pass. */
@Tag("engine")
class GeneratorStopAndLogprobTest {
  static NDManager root;
  static CausalLM lm;
  static Generator generator;

  @BeforeAll
  static void load() {
    root = Engines.newManager(DevicePolicy.CPU);
    lm = Models.load(TestData.dir("opt-tiny"), ComputeDtype.FLOAT32, root);
    generator = new Generator(lm);
  }

  @AfterAll
  static void close() {
    lm.close();
    root.close();
  }

  static GenerationResult run(GenerationConfig config) {
    try (NDManager m = root.newSubManager()) {
      NDArray[] in = leftPadded(m, prompts(), 12);
      return generator.generate(in[0], in[1], config);
    }
  }

  static int indexOf(long[] tokens, long token) {
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i] == token) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aRowThatEmitsAStopTokenIsPaddedAfterwardsAndReportedAsStopped() {
    GenerationConfig free =
        GenerationConfig.builder()
            .setMaxNewTokens(8)
            .optStopTokenIds(List.of())
            .optReturnLogprobs(true)
            .build();
    GenerationResult unstopped = run(free);
    long[] row0 = unstopped.newTokensOf(0);
    long stop = row0[2];
    int firstStop = indexOf(row0, stop);
    assertThat(firstStop).as("row 0's third token %d first appears at", stop).isLessThan(8);
    int pad = 7;
    GenerationConfig c =
        free.toBuilder().optStopTokenIds(List.of((int) stop)).optPadTokenId(pad).build();
    GenerationResult stopped = run(c);
    assertThat(stopped.steps()).isEqualTo(8); // some row runs to the length limit
    int stoppedRows = 0;
    for (int b = 0; b < 3; b++) {
      long[] all = unstopped.newTokensOf(b);
      int at = indexOf(all, stop);
      long[] row = Arrays.copyOfRange(stopped.sequences()[b], 12, 20);
      if (at < 0) {
        assertThat(stopped.finishReasons().get(b)).isEqualTo(FinishReason.LENGTH);
        assertThat(row).containsExactly(all);
        continue;
      }
      stoppedRows++;
      assertThat(stopped.finishReasons().get(b)).as("row %d", b).isEqualTo(FinishReason.STOP);
      assertThat(stopped.newTokens()[b]).isEqualTo(at + 1);
      assertThat(Arrays.copyOf(row, at + 1)).containsExactly(Arrays.copyOf(all, at + 1));
      assertThat(Arrays.copyOfRange(row, at + 1, 8)).containsOnly((long) pad);
      assertThat(Arrays.copyOfRange(stopped.logprobs()[b], at + 1, 8)).containsOnly(0f);
      assertThat(stopped.logprobs()[b][at]).isNegative();
    }
    assertThat(stoppedRows).isGreaterThanOrEqualTo(1);
    assertThat(stoppedRows).as("some row must run to the limit").isLessThan(3);
  }

  @Test
  void generationEndsWhenEveryRowHasStopped() {
    long[] prompt = TestData.referenceLongs("opt-tiny", "generate_prompt");
    long[] greedy = TestData.referenceLongs("opt-tiny", "generate_greedy"); // 383 285 285 ...
    try (NDManager m = root.newSubManager()) {
      NDArray ids = m.create(prompt).reshape(1, prompt.length);
      GenerationConfig c =
          GenerationConfig.builder()
              .setMaxNewTokens(8)
              .optStopTokenIds(List.of((int) greedy[7]))
              .build();
      GenerationResult r = generator.generate(ids, ids.onesLike(), c);
      assertThat(r.steps()).isEqualTo(2);
      assertThat(r.sequences()[0]).containsExactly(Arrays.copyOf(greedy, 8));
      assertThat(r.finishReasons()).containsExactly(FinishReason.STOP);
    }
  }

  @Test
  void logprobsEqualLogSoftmaxOfAFullForwardPass() {
    GenerationConfig c =
        GenerationConfig.builder()
            .setMaxNewTokens(8)
            .optTemperature(0.7)
            .optTopK(20)
            .optSeed(5)
            .optStopTokenIds(List.of())
            .optReturnLogprobs(true)
            .build();
    GenerationResult r = run(c);
    int t = r.promptLength();
    int n = r.steps();
    float[] logits = fullLogits(r);
    int vocab = lm.info().vocabSize();
    double maxRaw = 0;
    double maxSampling = 0;
    for (int b = 0; b < 3; b++) {
      for (int i = 0; i < n; i++) {
        int offset = (b * (t + n) + t - 1 + i) * vocab;
        float[] row = Arrays.copyOfRange(logits, offset, offset + vocab);
        int token = (int) r.sequences()[b][t + i];
        maxRaw = Math.max(maxRaw, Math.abs(r.logprobs()[b][i] - logSoftmax(row, token)));
        float[] warped = topK(scaled(row, 0.7f), 20);
        maxSampling =
            Math.max(maxSampling, Math.abs(r.samplingLogprobs()[b][i] - logSoftmax(warped, token)));
        assertThat(warped[token]).as("sampled token kept by top-k").isFinite();
      }
    }
    System.out.printf("logprobs vs full forward: raw %.3g, sampling %.3g%n", maxRaw, maxSampling);
    assertThat(maxRaw).isLessThan(1e-5);
    assertThat(maxSampling).isLessThan(1e-5);
  }

  /** Logits {@code [B, T + n, V]} of one pass over the generated sequences, flattened. */
  static float[] fullLogits(GenerationResult r) {
    int batch = r.sequences().length;
    int width = r.sequences()[0].length;
    try (NDManager m = root.newSubManager()) {
      NDArray mask =
          leftPadded(m, prompts(), 12)[1].concat(
              m.ones(new Shape(batch, r.steps()), DataType.INT64), 1);
      long[] flat = Arrays.stream(r.sequences()).flatMapToLong(Arrays::stream).toArray();
      NDArray ids = m.create(flat).reshape(batch, width);
      return lm.forward(ids, mask, null).toFloatArray();
    }
  }

  static double logSoftmax(float[] logits, int token) {
    double max = Double.NEGATIVE_INFINITY;
    for (float x : logits) {
      max = Math.max(max, x);
    }
    double sum = 0;
    for (float x : logits) {
      sum += Math.exp(x - max);
    }
    return logits[token] - max - Math.log(sum);
  }

  static float[] scaled(float[] logits, float temperature) {
    float[] s = new float[logits.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = logits[i] / temperature;
    }
    return s;
  }

  static float[] topK(float[] logits, int k) {
    float[] sorted = logits.clone();
    Arrays.sort(sorted);
    float kth = sorted[sorted.length - k];
    float[] out = logits.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] < kth) {
        out[i] = Float.NEGATIVE_INFINITY;
      }
    }
    return out;
  }
}
