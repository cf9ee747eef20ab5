package ai.attune.grzo.tasks;

import java.util.List;

/**
 * One example of a task, already put through its prompt template.
 *
 * <p>{@code prompt + options.get(k)} is the full text of option {@code k} exactly as MeZO's
 * template verbalises it (after MeZO's {@code strip(' ')} of both texts), so the option's tokens
 * are the tokens of the full text past those of the prompt. For generation tasks the single option
 * is the training target {@code " " + answers.get(0) + "\n"}.
 *
 * @param source where the example came from ({@code file:line}), for error messages
 * @param objective how the example is trained and scored
 * @param prompt the prompt text (the template without the answer)
 * @param options the continuations of the prompt, one per candidate answer
 * @param label the index of the correct option
 * @param answers the gold answers scored by token F1 (generation tasks; empty otherwise)
 */
public record TaskExample(
    String source,
    TaskObjective objective,
    String prompt,
    List<String> options,
    int label,
    List<String> answers) {

  public TaskExample {
    options = List.copyOf(options);
    answers = List.copyOf(answers);
    if (options.isEmpty()) {
      throw new IllegalArgumentException(source + ": an example needs at least one option");
    }
    if (label < 0 || label >= options.size()) {
      throw new IllegalArgumentException(
          source
              + ": label "
              + label
              + " is not an option index"
              + " in [0, "
              + options.size()
              + ")");
    }
    if (objective == TaskObjective.GENERATION && (options.size() != 1 || answers.isEmpty())) {
      throw new IllegalArgumentException(
          source
              + ": a generation example has one option (the"
              + " training target) and at least one gold answer");
    }
    for (String option : options) {
      if (option.isEmpty()) {
        throw new IllegalArgumentException(source + ": empty option");
      }
    }
  }

  /** The full text of option {@code k}: {@code prompt + options.get(k)}. */
  public String fullText(int k) {
    return prompt + options.get(k);
  }

  /** The objective all {@code examples} share; fails on an empty list or a mixed one. */
  public static TaskObjective commonObjective(List<TaskExample> examples) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one example");
    }
    TaskObjective objective = examples.get(0).objective();
    for (TaskExample e : examples) {
      if (e.objective() != objective) {
        throw new IllegalArgumentException(
            e.source() + ": objective " + e.objective() + " differs from the batch's " + objective);
      }
    }
    return objective;
  }
}
