package ai.attune.iapo.warmstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.grpo.TokenMasks.TokenRole;
import ai.attune.iapo.rollout.RolloutConfig;
import ai.attune.iapo.rollout.TinyVl;
import ai.attune.iapo.rollout.Trajectory;
import ai.attune.iapo.rollout.TrajectoryImage;
import ai.attune.iapo.tools.ToolRegistry;
import ai.attune.iapo.tools.image.HighlightTool;
import ai.attune.models.qwen2vl.Qwen2VlImageProcessor;
import ai.attune.models.qwen2vl.chat.BlockKind;
import ai.attune.models.text.TextTokenizer;
import ai.attune.testsupport.FixturePaths;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Demonstrations: the call each question gets, and trajectories built like rollouts. */
@Tag("engine")
class DemonstrationsTest {
  static TextTokenizer tokenizer;
  static Qwen2VlImageProcessor processor;
  static List<VqaExample> train;

  @BeforeAll
  static void load() {
    Path dir = FixturePaths.of(TinyVl.MODEL);
    tokenizer = TextTokenizer.load(dir);
    processor = Qwen2VlImageProcessor.load(dir);
    train = TinyVl.train();
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  static String callFor(int line) {
    return Demonstrations.callFor(train.get(line), 224, 168).toQwenJson();
  }

  @Test
  void namedCategoriesAreHighlightedAndOtherQuestionsZoomOnTheBars() {
    assertThat(callFor(0))
        .isEqualTo( // What is the value of 2014? (vertical bars)
            "{\"name\": \"highlight\", \"arguments\": {\"columns\": [\"2014\"]}}");
    assertThat(callFor(3))
        .isEqualTo( // Is the value of 2013 higher than that of 2012?
            "{\"name\": \"highlight\", \"arguments\": {\"columns\": [\"2013\", \"2012\"]}}");
    assertThat(callFor(6))
        .isEqualTo( // What is the value of JUN? (horizontal bars)
            "{\"name\": \"highlight\", \"arguments\": {\"rows\": [\"JUN\"]}}");
    assertThat(callFor(1))
        .isEqualTo( // Which category has the highest value? 5 columns
            "{\"name\": \"zoom_in\", \"arguments\": {\"bbox\": [17, 6, 220, 168]}}");
  }

  @Test
  void aDemonstrationIsAToolCallItsRealResultAndTheAnswer() {
    RolloutConfig config = TinyVl.config(3, 64);
    Demonstrations.Demonstration d =
        Demonstrations.build(train.subList(0, 1), tokenizer, processor, TinyVl.registry(), config)
            .get(0);
    Trajectory t = d.trajectory();
    assertThat(tokenizer.decode(t.ids())).isEqualTo(t.text());
    String call = "<tool_call>\n" + d.call().toQwenJson() + "\n</tool_call>";
    String answer = "FINAL ANSWER: 17<|im_end|>";
    StringBuilder policy = new StringBuilder();
    for (int i = 0; i < t.length(); i++) {
      if (t.roles()[i] == TokenRole.POLICY) {
        policy.append(tokenizer.decode(new long[] {t.ids()[i]}));
      }
    }
    assertThat(policy.toString()).isEqualTo(call + answer);
    assertThat(t.policyTokens())
        .isEqualTo(tokenizer.encode(call).length + tokenizer.encode(answer).length);
    assertThat(t.text())
        .contains(call + "<|im_end|>\n<|im_start|>user\n<tool_response>\n" + "<|vision_start|>")
        .contains(
            "Highlighted [139, 6, 179, 168] of image 0. The result is"
                + " image 1.\n</tool_response><|im_end|>\n<|im_start|>assistant\n"
                + answer);
    assertThat(t.images())
        .extracting(TrajectoryImage::block)
        .containsExactly(BlockKind.IMAGE, BlockKind.TOOL_OUTPUT);
    assertThat(Arrays.stream(t.roles()).filter(r -> r == TokenRole.TOOL_OUTPUT).count())
        .isGreaterThan(48);
  }

  @Test
  void aCallToAToolThatIsNotRegisteredNamesTheExample() {
    ToolRegistry onlyHighlight = new ToolRegistry().register(new HighlightTool());
    assertThatThrownBy(
            () ->
                Demonstrations.build(
                    train.subList(1, 2), tokenizer, processor, onlyHighlight, TinyVl.config(3, 64)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chart-000-q1")
        .hasMessageContaining("zoom_in, which is not" + " registered");
  }
}
