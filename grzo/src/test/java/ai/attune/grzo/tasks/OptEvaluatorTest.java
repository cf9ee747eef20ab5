package ai.attune.grzo.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Evaluation on opt-tiny against hand argmax, hand losses and a cache-free greedy decode. */
@Tag("engine")
class OptEvaluatorTest {
  static final int MAX_NEW = 8;
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

  @Test
  void accuracyIsTheArgmaxOfTheLengthNormalisedOptionScores() {
    for (List<TaskExample> examples :
        List.of(OptTaskLossTest.sst2(10), rteSynth(7), OptTaskLossTest.copa())) {
      int[] predicted = new int[examples.size()];
      double correct = 0;
      double loss = 0;
      for (int i = 0; i < predicted.length; i++) {
        TaskExample e = examples.get(i);
        double[] s = ref.optionScores(e);
        predicted[i] = HandMath.argmax(s);
        correct += predicted[i] == e.label() ? 1 : 0;
        loss +=
            e.objective() == TaskObjective.CLASSIFICATION
                ? HandMath.crossEntropy(s, e.label())
                : -s[e.label()];
      }
      Evaluator evaluator = Evaluator.forChoices(lm, encoder, 3);
      int live = root.getManagedArrays().size();
      EvalMetrics m = evaluator.evaluate(examples, root);
      assertThat(root.getManagedArrays()).as("arrays left by evaluate").hasSize(live);
      System.out.printf(
          "%s: accuracy %.4f (hand %.4f), loss %.6f (hand %.6f), predicted %s%n",
          examples.get(0).objective(),
          m.value(),
          correct / predicted.length,
          m.loss(),
          loss / predicted.length,
          Arrays.toString(predicted));
      assertThat(evaluator.predictOptions(examples, root)).containsExactly(predicted);
      assertThat(m.metric()).isEqualTo("accuracy");
      assertThat(m.n()).isEqualTo(examples.size());
      assertThat(m.value()).isEqualTo(correct / predicted.length);
      assertThat(Math.abs(m.loss() - loss / predicted.length)).isLessThan(1e-5);
    }
  }

  @Test
  void generationIsScoredByTokenF1OfGreedyAnswers() {
    List<String> prompts =
        List.of(
            "Title: a\nContext: the cat sat\nQuestion: who sat?\nAnswer:",
            "Passage: it was red\nQuestion: what color?\nAnswer:",
            "Title: b\nContext: the dog ran far\nQuestion: who ran?\nAnswer:");
    List<String> hand = new ArrayList<>();
    for (String p : prompts) {
      hand.add(greedyWithoutCache(p));
    }
    System.out.println("greedy answers: " + hand);
    List<TaskExample> examples = new ArrayList<>();
    List<List<String>> golds =
        List.of(
            List.of("zebra", hand.get(0)),
            List.of("zebra"),
            List.of(hand.get(2) + " and more words"));
    double f1 = 0;
    for (int i = 0; i < prompts.size(); i++) {
      List<String> gold = golds.get(i);
      examples.add(
          new TaskExample(
              "gen:" + i,
              TaskObjective.GENERATION,
              prompts.get(i),
              List.of(" " + gold.get(0) + "\n"),
              0,
              gold));
      f1 += TokenF1.maxF1(hand.get(i), gold);
    }
    Evaluator evaluator = Evaluator.forCausalLm(lm, tok, encoder, 2, MAX_NEW);
    int live = root.getManagedArrays().size();
    assertThat(evaluator.generateAnswers(examples, root)).containsExactlyElementsOf(hand);
    EvalMetrics m = evaluator.evaluate(examples, root);
    assertThat(root.getManagedArrays()).as("arrays left by generation").hasSize(live);
    double loss = examples.stream().mapToDouble(ref::lmLoss).average().orElseThrow();
    System.out.printf(
        "generation: f1 %.4f (hand %.4f), loss %.6f (hand %.6f)%n",
        m.value(), f1 / 3, m.loss(), loss);
    assertThat(m.metric()).isEqualTo("f1");
    assertThat(m.value()).isEqualTo(f1 / 3);
    assertThat(Math.abs(m.loss() - loss)).isLessThan(1e-5);
  }

  /** Greedy decoding by full passes over the growing row, stopping at EOS, cut at "\n". */
  private static String greedyWithoutCache(String prompt) {
    long[] row =
        ref.row(
            new TaskExample("p", TaskObjective.GENERATION, prompt, List.of(" x"), 0, List.of("x")),
            0);
    row = Arrays.copyOf(row, row.length - tok.encode(" x").length); // [BOS] + prompt
    List<Long> generated = new ArrayList<>();
    for (int step = 0; step < MAX_NEW; step++) {
      long next;
      try (NDManager m = root.newSubManager()) {
        NDArray ids = m.create(row).reshape(1, row.length);
        NDArray logits = lm.forward(ids, ids.onesLike(), null);
        next = logits.get("0, " + (row.length - 1) + ", :").argMax().getLong();
      }
      if (lm.info().eosTokenIds().contains((int) next)) {
        break;
      }
      generated.add(next);
      row = Arrays.copyOf(row, row.length + 1);
      row[row.length - 1] = next;
    }
    String text = tok.decode(generated.stream().mapToLong(Long::longValue).toArray());
    int nl = text.indexOf('\n');
    return (nl >= 0 ? text.substring(0, nl) : text).strip();
  }

  static List<TaskExample> rteSynth(int n) {
    return TaskDatasets.load(
        MezoTask.RTE, TaskTestData.dir("tasks").resolve("rte-synth/dev.jsonl"), n);
  }
}
