package ai.attune.grzo.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.attune.grzo.train.OptimizerName;
import ai.attune.grzo.train.TrainResult;
import ai.attune.models.LanguageModel;
import ai.attune.models.Models;
import ai.attune.models.text.TextTokenizer;
import ai.attune.testsupport.DocSnippets;
import ai.attune.testsupport.FixturePaths;
import ai.attune.testsupport.Weights;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GRZO example of {@code docs/api.md}, run on the tiny OPT fixture: a custom per-example loss
 * (the cross-entropy of a label word after each review) over the user's own record type, 120 GRZO
 * steps, the model saved as an HF folder. The region between the snippet markers is the document's
 * code block, character for character ({@link #theDocumentShowsThisCode}).
 */
@Tag("e2e")
class GrzoApiExampleTest {
  @TempDir Path tmp;

  // snippet:grzo-start
  record Review(String text, String label) {}

  static TrainResult fineTune(Path model, Path runDir, Path savedDir, List<Double> losses) {
    List<Review> train = new ArrayList<>();
    for (String adjective : List.of("fine", "warm", "bright", "kind", "clever", "sweet")) {
      train.add(new Review("a " + adjective + " film", " good"));
      train.add(new Review("a not " + adjective + " film", " bad"));
    }
    List<Review> dev =
        List.of(new Review("a fine story", " good"), new Review("a not kind story", " bad"));
    ExampleLoss<Review> labelLoss =
        (lm, batch) -> {
          long[] labels =
              batch.examples().stream()
                  .mapToLong(r -> batch.tokenizer().encode(r.label())[0])
                  .toArray();
          NDArray logProbs = batch.lastLogits(lm).logSoftmax(1); // [n, vocab] after each review
          return logProbs.gather(batch.manager().create(labels).expandDims(1), 1).squeeze(1).neg();
        };
    try (ZerothOrderTraining<Review> run =
        ZerothOrderTraining.<Review>builder()
            .setModel(model)
            .setOutputDir(runDir)
            .setLearningRate(0.02)
            .setExamples(train, dev)
            .setEncoder((review, tokenizer) -> tokenizer.encode(review.text()))
            .setLoss(labelLoss)
            .optOptimizer(OptimizerName.GRZO)
            .optVariant(Variant.none())
            .optSigma(0.01)
            .optSteps(120)
            .optBatchSize(4)
            .optListener(step -> losses.add(step.loss()))
            .build()) {
      TrainResult result = run.train();
      run.save(savedDir);
      return result;
    }
  }

  // snippet:grzo-end

  @Test
  void aCustomLossFineTunesTheTinyOptAndTheSavedFolderReloads() throws Exception {
    Path base = FixturePaths.of("opt-tiny");
    Path saved = tmp.resolve("fine-tuned");
    List<Double> losses = new ArrayList<>();
    TrainResult r = fineTune(base, tmp.resolve("run"), saved, losses);
    System.out.printf(
        "dev loss %.4f -> %.4f; first/last 10 step losses %.4f / %.4f%n",
        r.before().loss(),
        r.after().loss(),
        mean(losses.subList(0, 10)),
        mean(losses.subList(110, 120)));
    assertThat(r.step()).isEqualTo(120);
    assertThat(losses).hasSize(120).allMatch(Double::isFinite);
    assertThat(r.after().metric()).isEqualTo("loss");
    assertThat(r.after().loss()).isLessThan(r.before().loss());
    assertThat(mean(losses.subList(110, 120))).isLessThan(mean(losses.subList(0, 10)));
    assertThat(maxAbsDifference(base, saved)).isGreaterThan(0);
    assertThat(devLoss(saved)).isCloseTo(r.after().loss(), within(1e-5));
  }

  @Test
  void theDocumentShowsThisCode() {
    Path doc = FixturePaths.projectRoot().resolve("docs/api.md");
    Path source = Path.of("src/test/java/ai/attune/grzo/api/GrzoApiExampleTest.java");
    assertThat(DocSnippets.block(doc, "grzo")).isEqualTo(DocSnippets.region(source, "grzo"));
  }

  /** The mean dev loss of the reloaded folder, through the loss of the example. */
  private static double devLoss(Path dir) {
    List<Review> dev =
        List.of(new Review("a fine story", " good"), new Review("a not kind story", " bad"));
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        LanguageModel lm = Models.loadAny(dir, ComputeDtype.FLOAT32, root);
        TextTokenizer tokenizer = TextTokenizer.load(dir)) {
      EncodedRows<Review> rows =
          EncodedRows.encode(
              dev, new int[] {0, 1}, "dev", (e, t) -> t.encode(e.text()), tokenizer, lm);
      ExampleBatch<Review> batch = rows.toBatch(1, root, tokenizer);
      long[] labels = {tokenizer.encode(" good")[0], tokenizer.encode(" bad")[0]};
      NDArray nll =
          batch.lastLogits(lm).logSoftmax(1).gather(root.create(labels).expandDims(1), 1).neg();
      return mean(List.of((double) nll.getFloat(0, 0), (double) nll.getFloat(1, 0)));
    }
  }

  /** The largest |a - b| over the weights of {@code b}, which {@code a} must all hold. */
  private static double maxAbsDifference(Path a, Path b) {
    return Weights.maxAbsDiff(
        SafetensorsCheckpoint.readFloats(a), SafetensorsCheckpoint.readFloats(b));
  }

  private static double mean(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
