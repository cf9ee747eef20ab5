package ai.attune.grzo.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MeZO's prompt templates and verbalisers ({@code large_models/templates.py}, template version 0,
 * BoolQ version 2), one method per task, reading the fields of the HF datasets.
 *
 * <p>Every template gives the prompt and, per candidate, the text that follows it; MeZO strips
 * spaces (only ' ') from both ends of the prompt and of each full text, and so does {@link
 * #example}.
 */
final class Templates {
  static final List<String> YES_NO = List.of("Yes", "No");
  static final List<String> NO_YES = List.of("No", "Yes");

  private Templates() {}

  /** SST-2 (glue/sst2): {@code {sentence} It was} → {@code " terrible"}, {@code " great"}. */
  static TaskExample sst2(JsonRecord r) {
    String sentence = r.text("sentence").strip();
    return example(
        r,
        TaskObjective.CLASSIFICATION,
        sentence + " It was",
        List.of(" terrible", " great"),
        r.label("label", 2),
        List.of());
  }

  /** RTE (super_glue/rte): label 0 = entailment = "Yes". */
  static TaskExample rte(JsonRecord r) {
    String prompt =
        r.text("premise")
            + "\nDoes this mean that \""
            + r.text("hypothesis")
            + "\" is true? Yes or No?\n";
    return example(r, TaskObjective.CLASSIFICATION, prompt, YES_NO, r.label("label", 2), List.of());
  }

  /** CB (super_glue/cb): 0 entailment "Yes", 1 contradiction "No", 2 neutral "Maybe". */
  static TaskExample cb(JsonRecord r) {
    String prompt =
        "Suppose "
            + r.text("premise")
            + " Can we infer that \""
            + r.text("hypothesis")
            + "\"? Yes, No, or Maybe?\n";
    return example(
        r,
        TaskObjective.CLASSIFICATION,
        prompt,
        List.of("Yes", "No", "Maybe"),
        r.label("label", 3),
        List.of());
  }

  /**
   * BoolQ (MeZO's BoolQTemplateV3): {@code {passage} {Question}?\n}, the question capitalised and
   * given a '?' when it lacks one; {@code label} (or the {@code answer} of google/boolq) true/1 is
   * "Yes".
   */
  static TaskExample boolq(JsonRecord r) {
    String field = !r.has("label") && r.has("answer") ? "answer" : "label";
    int truth = r.label(field, 2);
    String question = r.text("question");
    if (question.isEmpty()) {
      throw r.fail("question", "empty");
    }
    if (!question.endsWith("?")) {
      question = question + "?";
    }
    question = question.substring(0, 1).toUpperCase(Locale.ROOT) + question.substring(1);
    String prompt = r.text("passage") + " " + question + "\n";
    return example(r, TaskObjective.CLASSIFICATION, prompt, YES_NO, truth == 1 ? 0 : 1, List.of());
  }

  /** WiC (super_glue/wic): label 0 "No", 1 "Yes". */
  static TaskExample wic(JsonRecord r) {
    String prompt =
        "Does the word \""
            + r.text("word")
            + "\" have the same meaning in these two"
            + " sentences? Yes, No?\n"
            + r.text("sentence1")
            + "\n"
            + r.text("sentence2")
            + "\n";
    return example(r, TaskObjective.CLASSIFICATION, prompt, NO_YES, r.label("label", 2), List.of());
  }

  /** WSC (super_glue/wsc.fixed): the pronoun lower-cased; label 0 "No", 1 "Yes". */
  static TaskExample wsc(JsonRecord r) {
    String prompt =
        r.text("text")
            + "\nIn the previous sentence, does the pronoun \""
            + r.text("span2_text").toLowerCase(Locale.ROOT)
            + "\" refer to "
            + r.text("span1_text")
            + "? Yes or No?\n";
    return example(r, TaskObjective.CLASSIFICATION, prompt, NO_YES, r.label("label", 2), List.of());
  }

  /** MultiRC (super_glue/multirc): label 0 "No", 1 "Yes". */
  static TaskExample multirc(JsonRecord r) {
    String prompt =
        r.text("paragraph")
            + "\nQuestion: "
            + r.text("question")
            + "\nI found this answer \""
            + r.text("answer")
            + "\". Is that correct? Yes or No?\n";
    return example(r, TaskObjective.CLASSIFICATION, prompt, NO_YES, r.label("label", 2), List.of());
  }

  /**
   * COPA (super_glue/copa): the premise without its final '.', then " so " (effect) or " because "
   * (cause), then the choice with its first word lower-cased unless it is "I".
   */
  static TaskExample copa(JsonRecord r) {
    String question = r.text("question");
    String conjunction;
    if (question.equals("effect")) {
      conjunction = " so ";
    } else if (question.equals("cause")) {
      conjunction = " because ";
    } else {
      throw r.fail("question", "expected \"cause\" or \"effect\", got \"" + question + "\"");
    }
    String premise = r.text("premise").stripTrailing();
    if (premise.endsWith(".")) {
      premise = premise.substring(0, premise.length() - 1);
    }
    List<String> choices =
        List.of(lowerFirstWord(r.text("choice1")), lowerFirstWord(r.text("choice2")));
    return example(
        r,
        TaskObjective.CHOICE_LANGUAGE_MODEL,
        premise + conjunction,
        choices,
        r.label("label", 2),
        List.of());
  }

  /** SQuAD: {@code Title: ..\nContext: ..\nQuestion: ..\nAnswer:}, target " {answer}\n". */
  static TaskExample squad(JsonRecord r) {
    List<String> answers = r.texts("answers", "text");
    String prompt =
        "Title: "
            + r.text("title")
            + "\nContext: "
            + r.text("context")
            + "\nQuestion: "
            + r.text("question").strip()
            + "\nAnswer:";
    return example(
        r, TaskObjective.GENERATION, prompt, List.of(" " + answers.get(0) + "\n"), 0, answers);
  }

  /** DROP: {@code Passage: ..\nQuestion: ..\nAnswer:}, target " {spans[0]}\n". */
  static TaskExample drop(JsonRecord r) {
    List<String> answers = r.texts("answers_spans", "spans");
    String prompt =
        "Passage: " + r.text("passage") + "\nQuestion: " + r.text("question").strip() + "\nAnswer:";
    return example(
        r, TaskObjective.GENERATION, prompt, List.of(" " + answers.get(0) + "\n"), 0, answers);
  }

  /**
   * The example whose prompt is {@code rawPrompt} and whose option {@code k} is the rest of {@code
   * rawPrompt + suffixes[k]}, both stripped of spaces at the ends as MeZO does.
   */
  static TaskExample example(
      JsonRecord r,
      TaskObjective objective,
      String rawPrompt,
      List<String> suffixes,
      int label,
      List<String> answers) {
    String prompt = stripSpaces(rawPrompt);
    List<String> options = new ArrayList<>();
    for (String suffix : suffixes) {
      String full = stripSpaces(rawPrompt + suffix);
      if (!full.startsWith(prompt) || full.length() == prompt.length()) {
        throw r.fail(null, "option \"" + suffix + "\" adds nothing to the prompt");
      }
      options.add(full.substring(prompt.length()));
    }
    return new TaskExample(r.source(), objective, prompt, options, label, answers);
  }

  /** Python's {@code s.strip(' ')}. */
  static String stripSpaces(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == ' ') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == ' ') {
      end--;
    }
    return s.substring(start, end);
  }

  /** MeZO's COPA "correct" capitalisation: the first word lower-cased unless it is "I". */
  static String lowerFirstWord(String choice) {
    String[] words = choice.split(" ", -1);
    if (!words[0].equals("I")) {
      words[0] = words[0].toLowerCase(Locale.ROOT);
    }
    return String.join(" ", words);
  }
}
