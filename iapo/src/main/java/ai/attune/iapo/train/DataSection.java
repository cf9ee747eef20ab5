package ai.attune.iapo.train;

import static ai.attune.iapo.train.InvalidSettingException.nonNegative;
import static ai.attune.iapo.train.InvalidSettingException.require;
import static ai.attune.iapo.train.InvalidSettingException.requireText;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * {@code data}: the questions, as VQA JSONL files ({@code ai.attune.iapo.data.VqaDatasets}: one
 * object per line with {@code image} or {@code images}, {@code question}, {@code answer},
 * optional {@code boxes} of named rows/columns). Paths are relative to the config file.
 *
 * @param train the training questions. Required.
 * @param eval evaluation sets, each reported on its own (its file name without {@code .jsonl}
 *     names it); default none
 * @param maxTrainExamples read at most this many training questions; 0 (default) = all
 * @param maxEvalExamples read at most this many questions of each evaluation set; 0 = all
 * @param shuffleSeed seeds the order in which training questions are visited (a fresh
 *     permutation each pass); default 42
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DataSection(String train, List<String> eval, int maxTrainExamples,
    int maxEvalExamples, long shuffleSeed) {
  public DataSection {
    requireText(train, "data.train");
    require(eval != null, "data.eval", "give a list of files (may be empty)");
    eval = List.copyOf(eval);
    for (int i = 0; i < eval.size(); i++) {
      requireText(eval.get(i), "data.eval[" + i + "]");
    }
    nonNegative(maxTrainExamples, "data.max_train_examples");
    nonNegative(maxEvalExamples, "data.max_eval_examples");
  }

  DataSection withPaths(String resolvedTrain, List<String> resolvedEval) {
    return new DataSection(resolvedTrain, resolvedEval, maxTrainExamples, maxEvalExamples,
        shuffleSeed);
  }
}
