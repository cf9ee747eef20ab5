package ai.attune.grzo.tasks;

import static ai.attune.grzo.tasks.TaskTestData.jsonl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.data.DatasetException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every loader reads the HF fields of its dataset and applies MeZO's template verbatim. */
@Tag("pure")
class TaskDatasetsTest {
  @TempDir Path dir;

  private TaskExample only(MezoTask task, String line) throws IOException {
    List<TaskExample> examples = TaskDatasets.load(task, jsonl(dir, task.id() + ".jsonl", line));
    assertThat(examples).hasSize(1);
    assertThat(examples.get(0).objective()).isEqualTo(task.objective());
    return examples.get(0);
  }

  @Test
  void sst2() throws IOException {
    TaskExample e =
        only(MezoTask.SST2, "{\"sentence\": \" a gorgeous film \", \"label\": 1," + " \"idx\": 0}");
    assertThat(e.prompt()).isEqualTo("a gorgeous film It was");
    assertThat(e.options()).containsExactly(" terrible", " great");
    assertThat(e.label()).isEqualTo(1);
    assertThat(e.fullText(0)).isEqualTo("a gorgeous film It was terrible");
    assertThat(e.source()).endsWith("sst2.jsonl:1");
  }

  @Test
  void rte() throws IOException {
    TaskExample e =
        only(
            MezoTask.RTE,
            "{\"premise\": \"The cat sat.\", \"hypothesis\":"
                + " \"A cat sat.\", \"label\": 0, \"idx\": 3}");
    assertThat(e.prompt())
        .isEqualTo("The cat sat.\nDoes this mean that \"A cat sat.\" is true? Yes or No?\n");
    assertThat(e.options()).containsExactly("Yes", "No");
    assertThat(e.label()).isZero();
  }

  @Test
  void cb() throws IOException {
    TaskExample e =
        only(
            MezoTask.CB,
            "{\"premise\": \"It rained.\", \"hypothesis\":"
                + " \"The ground is wet.\", \"label\": 2}");
    assertThat(e.prompt())
        .isEqualTo(
            "Suppose It rained. Can we infer that \"The ground is wet.\"? Yes, No, or Maybe?\n");
    assertThat(e.options()).containsExactly("Yes", "No", "Maybe");
    assertThat(e.label()).isEqualTo(2);
  }

  @Test
  void boolqCapitalisesTheQuestionAndMapsTrueToYes() throws IOException {
    TaskExample e =
        only(
            MezoTask.BOOLQ,
            "{\"passage\": \"Paris is in France.\", \"question\":"
                + " \"is paris in france\", \"label\": true}");
    assertThat(e.prompt()).isEqualTo("Paris is in France. Is paris in france?\n");
    assertThat(e.options()).containsExactly("Yes", "No");
    assertThat(e.label()).isZero();
    TaskExample no =
        only(MezoTask.BOOLQ, "{\"passage\": \"p\", \"question\": \"q?\"," + " \"label\": 0}");
    assertThat(no.prompt()).isEqualTo("p Q?\n");
    assertThat(no.label()).isEqualTo(1);
    TaskExample google =
        only(MezoTask.BOOLQ, "{\"passage\": \"p\", \"question\": \"q\"," + " \"answer\": true}");
    assertThat(google.label()).isZero();
  }

  @Test
  void wic() throws IOException {
    TaskExample e =
        only(
            MezoTask.WIC,
            "{\"word\": \"bank\", \"sentence1\": \"He sat on the"
                + " bank.\", \"sentence2\": \"She went to the bank.\", \"label\": 0}");
    assertThat(e.prompt())
        .isEqualTo(
            "Does the word \"bank\" have the same meaning in these two"
                + " sentences? Yes, No?\nHe sat on the bank.\nShe went to the bank.\n");
    assertThat(e.options()).containsExactly("No", "Yes");
    assertThat(e.label()).isZero();
  }

  @Test
  void wscLowerCasesThePronoun() throws IOException {
    TaskExample e =
        only(
            MezoTask.WSC,
            "{\"text\": \"Mark told Pete he was late.\","
                + " \"span1_text\": \"Pete\", \"span2_text\": \"He\", \"label\": 1}");
    assertThat(e.prompt())
        .isEqualTo(
            "Mark told Pete he was late.\nIn the previous sentence,"
                + " does the pronoun \"he\" refer to Pete? Yes or No?\n");
    assertThat(e.options()).containsExactly("No", "Yes");
    assertThat(e.label()).isEqualTo(1);
  }

  @Test
  void multirc() throws IOException {
    TaskExample e =
        only(
            MezoTask.MULTIRC,
            "{\"paragraph\": \"Sam has two dogs.\","
                + " \"question\": \"How many dogs?\", \"answer\": \"two\", \"label\": 1}");
    assertThat(e.prompt())
        .isEqualTo(
            "Sam has two dogs.\nQuestion: How many dogs?\n"
                + "I found this answer \"two\". Is that correct? Yes or No?\n");
    assertThat(e.options()).containsExactly("No", "Yes");
  }

  @Test
  void copaJoinsPremiseAndChoiceWithSoOrBecause() throws IOException {
    TaskExample cause =
        only(
            MezoTask.COPA,
            "{\"premise\": \"The man broke his toe.\","
                + " \"choice1\": \"He dropped a hammer on his foot.\", \"choice2\": \"I got a hole in my"
                + " sock.\", \"question\": \"cause\", \"label\": 0}");
    assertThat(cause.prompt()).isEqualTo("The man broke his toe because");
    assertThat(cause.options())
        .containsExactly(" he dropped a hammer on his foot.", " I got a hole in my sock.");
    assertThat(cause.label()).isZero();
    TaskExample effect =
        only(
            MezoTask.COPA,
            "{\"premise\": \"It got dark\", \"choice1\":"
                + " \"The lights came on.\", \"choice2\": \"Birds sang.\", \"question\": \"effect\","
                + " \"label\": 1}");
    assertThat(effect.prompt()).isEqualTo("It got dark so");
    assertThat(effect.options()).containsExactly(" the lights came on.", " birds sang.");
    assertThat(effect.label()).isEqualTo(1);
  }

  @Test
  void squadTargetsTheFirstAnswerAndKeepsAllForF1() throws IOException {
    TaskExample e =
        only(
            MezoTask.SQUAD,
            "{\"title\": \"Paris\", \"context\": \"Paris is the"
                + " capital of France.\", \"question\": \" What is the capital of France? \", \"answers\":"
                + " {\"text\": [\"Paris\", \"the city of Paris\"], \"answer_start\": [0, 0]}}");
    assertThat(e.prompt())
        .isEqualTo(
            "Title: Paris\nContext: Paris is the capital of France.\n"
                + "Question: What is the capital of France?\nAnswer:");
    assertThat(e.options()).containsExactly(" Paris\n");
    assertThat(e.answers()).containsExactly("Paris", "the city of Paris");
  }

  @Test
  void drop() throws IOException {
    TaskExample e =
        only(
            MezoTask.DROP,
            "{\"passage\": \"The Bears scored 7 points.\","
                + " \"question\": \"How many points?\", \"answers_spans\": {\"spans\": [\"7\"],"
                + " \"types\": [\"number\"]}}");
    assertThat(e.prompt())
        .isEqualTo("Passage: The Bears scored 7 points.\nQuestion: How many points?\nAnswer:");
    assertThat(e.options()).containsExactly(" 7\n");
    assertThat(e.answers()).containsExactly("7");
  }

  @Test
  void blankLinesAreSkippedAndMaxExamplesStopsEarly() throws IOException {
    Path file =
        jsonl(
            dir,
            "sst2.jsonl",
            "{\"sentence\": \"a\", \"label\": 0}",
            "",
            "{\"sentence\": \"b\", \"label\": 1}",
            "not json at all");
    List<TaskExample> two = TaskDatasets.load(MezoTask.SST2, file, 2);
    assertThat(two).extracting(TaskExample::prompt).containsExactly("a It was", "b It was");
    assertThat(two.get(1).source()).endsWith("sst2.jsonl:3");
    assertThatThrownBy(() -> TaskDatasets.load(MezoTask.SST2, file))
        .hasMessageContaining("sst2.jsonl:4: not valid JSON");
  }

  @Test
  void malformedLinesNameFileLineAndField() throws IOException {
    assertBad(MezoTask.SST2, "{\"sentence\": \"x\", \"label\": ", null, "not valid JSON");
    assertBad(MezoTask.SST2, "[1, 2]", null, "expected a JSON object, got [1,2] (array)");
    assertBad(MezoTask.SST2, "{\"label\": 1}", "sentence", "missing");
    assertBad(
        MezoTask.SST2,
        "{\"sentence\": 5, \"label\": 1}",
        "sentence",
        "expected a string, got 5 (number)");
    assertBad(
        MezoTask.SST2,
        "{\"sentence\": \"x\", \"label\": 2}",
        "label",
        "expected an integer in [0, 2), got 2 (number)");
    assertBad(MezoTask.SST2, "{\"sentence\": \"x\", \"label\": -1}", "label", "got -1");
    assertBad(
        MezoTask.SST2, "{\"sentence\": \"x\", \"label\": \"1\"}", "label", "got \"1\" (string)");
    assertBad(
        MezoTask.CB,
        "{\"premise\": \"p\", \"hypothesis\": \"h\", \"label\": 3}",
        "label",
        "expected an integer in [0, 3), got 3");
    assertBad(
        MezoTask.CB,
        "{\"premise\": \"p\", \"hypothesis\": \"h\", \"label\": true}",
        "label",
        "got true (boolean)");
    assertBad(
        MezoTask.COPA,
        "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\","
            + " \"question\": \"why\", \"label\": 0}",
        "question",
        "\"cause\" or \"effect\"");
    assertBad(
        MezoTask.SQUAD,
        "{\"title\": \"t\", \"context\": \"c\", \"question\": \"q\","
            + " \"answers\": {\"text\": [], \"answer_start\": []}}",
        "answers.text",
        "at least one");
    assertBad(
        MezoTask.SQUAD,
        "{\"title\": \"t\", \"context\": \"c\", \"question\": \"q\","
            + " \"answers\": {\"text\": [7]}}",
        "answers.text[0]",
        "expected a string");
    assertBad(
        MezoTask.DROP, "{\"passage\": \"p\", \"question\": \"q\"}", "answers_spans", "missing");
    assertBad(
        MezoTask.BOOLQ,
        "{\"passage\": \"p\", \"question\": \"\", \"label\": 1}",
        "question",
        "empty");
  }

  private void assertBad(MezoTask task, String badLine, String field, String problem)
      throws IOException {
    Path file = jsonl(dir, "bad-" + task.id() + ".jsonl", firstGoodLine(task), badLine);
    assertThatThrownBy(() -> TaskDatasets.load(task, file))
        .isInstanceOfSatisfying(
            DatasetException.class,
            e -> {
              assertThat(e.file()).isEqualTo(file);
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.getMessage())
                  .startsWith(file + ":2: ")
                  .contains(field == null ? "" : "field '" + field + "'")
                  .contains(problem);
            });
  }

  private static String firstGoodLine(MezoTask task) {
    switch (task) {
      case SST2:
        return "{\"sentence\": \"fine\", \"label\": 1}";
      case CB:
        return "{\"premise\": \"p\", \"hypothesis\": \"h\", \"label\": 0}";
      case COPA:
        return "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"question\":"
            + " \"effect\", \"label\": 0}";
      case SQUAD:
        return "{\"title\": \"t\", \"context\": \"c\", \"question\": \"q\", \"answers\":"
            + " {\"text\": [\"a\"]}}";
      case DROP:
        return "{\"passage\": \"p\", \"question\": \"q\", \"answers_spans\": {\"spans\": [\"a\"]}}";
      case BOOLQ:
        return "{\"passage\": \"p\", \"question\": \"q\", \"label\": 1}";
      default:
        throw new IllegalArgumentException(task.toString());
    }
  }

  @Test
  void tasksAreFoundByTheirUsualNames() {
    assertThat(MezoTask.fromName("SST-2")).isEqualTo(MezoTask.SST2);
    assertThat(MezoTask.fromName("MultiRC")).isEqualTo(MezoTask.MULTIRC);
    assertThat(MezoTask.COPA.objective()).isEqualTo(TaskObjective.CHOICE_LANGUAGE_MODEL);
    assertThat(MezoTask.DROP.objective().metric()).isEqualTo("f1");
    assertThatThrownBy(() -> MezoTask.fromName("mnli")).hasMessageContaining("sst2, rte");
  }
}
