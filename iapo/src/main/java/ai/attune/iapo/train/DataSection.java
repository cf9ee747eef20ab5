package ai.attune.iapo.train;

import static ai.attune.core.config.InvalidSettingException.nonNegative;
import static ai.attune.core.config.InvalidSettingException.require;
import static ai.attune.core.config.InvalidSettingException.requireText;

import ai.attune.iapo.data.RefocusDatasets;
import ai.attune.iapo.data.VqaDatasets;
import ai.attune.iapo.data.VqaExample;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code data}: the questions, as VQA JSONL files ({@code ai.attune.iapo.data.VqaDatasets}: one
 * object per line with {@code image} or {@code images}, {@code question}, {@code answer}, optional
 * {@code boxes} of named rows/columns). Paths are relative to the config file.
 *
 * @param train the training questions: one file, or a list of files read in order and concatenated
 *     (ReFocus' chart set and its table set, for example). Required.
 * @param eval evaluation sets, each reported on its own (its file name without {@code .jsonl} names
 *     it); default none
 * @param maxTrainExamples read at most this many training questions; 0 (default) = all
 * @param maxEvalExamples read at most this many questions of each evaluation set; 0 = all
 * @param shuffleSeed seeds the order in which training questions are visited (a fresh permutation
 *     each pass); default 42
 * @param format {@code vqa} (default: the JSONL above) or {@code refocus}: ReFocus' own files as
 *     released, the training file in its {@code chartqa_vcot} JSONL format and each evaluation file
 *     one of its six {@code *_wbb.json} test sets
 * @param imageRoot the folder ReFocus' image paths are relative to (where its scripts ran);
 *     relative to the config file; absent = each data file's folder. Not used by {@code vqa}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DataSection(
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> train,
    List<String> eval,
    int maxTrainExamples,
    int maxEvalExamples,
    long shuffleSeed,
    Format format,
    String imageRoot) {

  /** How the data files are written. */
  public enum Format {
    VQA,
    REFOCUS
  }

  public DataSection {
    require(train != null && !train.isEmpty(), "data.train", "give a file or a list of files");
    train = List.copyOf(train);
    for (int i = 0; i < train.size(); i++) {
      requireText(train.get(i), "data.train[" + i + "]");
    }
    require(eval != null, "data.eval", "give a list of files (may be empty)");
    eval = List.copyOf(eval);
    for (int i = 0; i < eval.size(); i++) {
      requireText(eval.get(i), "data.eval[" + i + "]");
    }
    nonNegative(maxTrainExamples, "data.max_train_examples");
    nonNegative(maxEvalExamples, "data.max_eval_examples");
    require(format != null, "data.format", "expected vqa or refocus");
  }

  /** The training questions. */
  public List<VqaExample> loadTrain() {
    List<VqaExample> all = new ArrayList<>();
    for (String f : train) {
      all.addAll(load(Path.of(f), true, 0));
    }
    return maxTrainExamples == 0 || all.size() <= maxTrainExamples
        ? all
        : all.subList(0, maxTrainExamples);
  }

  /** Each evaluation set by name (its file name without the extension), in order. */
  public Map<String, List<VqaExample>> loadEval() {
    Map<String, List<VqaExample>> out = new LinkedHashMap<>();
    for (String f : eval) {
      Path p = Path.of(f);
      require(
          out.put(EvalSetResult.nameOf(p), load(p, false, maxEvalExamples)) == null,
          "data.eval",
          "two evaluation files are named " + EvalSetResult.nameOf(p));
    }
    return out;
  }

  private List<VqaExample> load(Path file, boolean training, int max) {
    return load(file, format, imageRoot == null ? null : Path.of(imageRoot), training, max);
  }

  /**
   * Reads one data file.
   *
   * @param imageRoot for {@code refocus}, the folder its image paths are relative to; null = the
   *     file's folder
   * @param training for {@code refocus}, a training file (else a test set)
   * @param max at most this many questions; 0 = all
   */
  public static List<VqaExample> load(
      Path file, Format format, Path imageRoot, boolean training, int max) {
    int limit = max == 0 ? Integer.MAX_VALUE : max;
    if (format == Format.VQA) {
      return VqaDatasets.load(file, limit);
    }
    Path root = imageRoot == null ? file.toAbsolutePath().getParent() : imageRoot;
    List<VqaExample> all =
        training
            ? RefocusDatasets.loadTraining(file, root)
            : RefocusDatasets.loadBenchmark(file, root);
    return all.size() > limit ? all.subList(0, limit) : all;
  }

  DataSection withPaths(
      List<String> resolvedTrain, List<String> resolvedEval, String resolvedRoot) {
    return new DataSection(
        resolvedTrain,
        resolvedEval,
        maxTrainExamples,
        maxEvalExamples,
        shuffleSeed,
        format,
        resolvedRoot);
  }
}
