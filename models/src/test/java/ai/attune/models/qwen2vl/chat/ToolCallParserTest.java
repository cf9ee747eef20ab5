package ai.attune.models.qwen2vl.chat;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.models.qwen2vl.chat.ToolCallParseError.Kind;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Tool calls and final answers out of generated assistant text; errors as results. */
@Tag("pure")
class ToolCallParserTest {
  @Test
  void oneGoodCall() {
    ParsedAssistantTurn t =
        ToolCallParser.parse(
            "I will crop the chart.\n<tool_call>\n"
                + "{\"name\": \"crop\", \"arguments\": {\"bbox\": [10, 20, 50, 60]}}\n</tool_call>"
                + "<|im_end|>");
    assertThat(t.errors()).isEmpty();
    assertThat(t.calls()).hasSize(1);
    ToolCall call = t.calls().get(0);
    assertThat(call.name()).isEqualTo("crop");
    assertThat(call.arguments().get("bbox").get(2).intValue()).isEqualTo(50);
    assertThat(t.textSegments()).containsExactly("I will crop the chart.\n", "");
    assertThat(t.finalAnswer()).isEmpty();
  }

  @Test
  void callRoundTripsThroughTheChatTemplate() throws Exception {
    ToolCall call =
        new ToolCall(
            "highlight", ChatTemplateTest.json("{\"labels\": [\"2019\"], \"color\": \"red\"}"));
    String rendered =
        ChatTemplate.render(
                List.of(ChatMessage.user("q"), ChatMessage.assistant("ok", List.of(call))), false)
            .text();
    String turn = rendered.substring(rendered.lastIndexOf("<|im_start|>assistant\n") + 22);
    ParsedAssistantTurn t = ToolCallParser.parse(turn);
    assertThat(t.calls()).containsExactly(call);
    assertThat(t.textSegments()).containsExactly("ok\n", "");
  }

  @Test
  void multipleCallsWithTextBetween() {
    ParsedAssistantTurn t =
        ToolCallParser.parse(
            "First crop.\n<tool_call>\n"
                + "{\"name\": \"crop\", \"arguments\": {\"bbox\": [0, 0, 5, 5]}}\n</tool_call>\n"
                + "Then highlight.\n<tool_call>{\"name\": \"highlight\", \"arguments\": {}}</tool_call>"
                + " done");
    assertThat(t.errors()).isEmpty();
    assertThat(t.calls()).extracting(ToolCall::name).containsExactly("crop", "highlight");
    assertThat(t.calls().get(1).arguments().size()).isZero();
    assertThat(t.textSegments()).containsExactly("First crop.\n", "\nThen highlight.\n", " done");
  }

  @Test
  void malformedJsonIsReportedWithTheSnippet() {
    String block =
        "<tool_call>\n{\"name\": \"crop\", \"arguments\": {\"bbox\": [1, 2}}\n" + "</tool_call>";
    ParsedAssistantTurn t = ToolCallParser.parse("Let me look. " + block);
    assertThat(t.calls()).isEmpty();
    assertThat(t.errors()).hasSize(1);
    ToolCallParseError e = t.errors().get(0);
    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_JSON);
    assertThat(e.snippet()).isEqualTo(block);
    assertThat(e.offset()).isEqualTo("Let me look. ".length());
    assertThat(e.message()).contains("not valid JSON").contains("[1, 2}");
    assertThat(t.textSegments()).containsExactly("Let me look. ", "");
  }

  @Test
  void trailingTextAfterTheObjectIsMalformed() {
    ParsedAssistantTurn t =
        ToolCallParser.parse(
            "<tool_call>{\"name\": \"crop\", \"arguments\": {}} extra</tool_call>");
    assertThat(t.errors())
        .extracting(ToolCallParseError::kind)
        .containsExactly(Kind.MALFORMED_JSON);
  }

  @Test
  void missingNameAndBadArgumentsAreReported() {
    ParsedAssistantTurn t =
        ToolCallParser.parse(
            "<tool_call>{\"arguments\": {\"x\": 1}}</tool_call>"
                + "<tool_call>{\"name\": \"\", \"arguments\": {}}</tool_call>"
                + "<tool_call>{\"name\": \"crop\", \"arguments\": \"{\\\"bbox\\\": [1]}\"}</tool_call>"
                + "<tool_call>{\"name\": \"crop\"}</tool_call>"
                + "<tool_call>[\"crop\"]</tool_call>"
                + "<tool_call>{\"name\": \"zoom\", \"arguments\": {\"f\": 2}}</tool_call>");
    assertThat(t.errors())
        .extracting(ToolCallParseError::kind)
        .containsExactly(
            Kind.MISSING_NAME,
            Kind.MISSING_NAME,
            Kind.ARGUMENTS_NOT_OBJECT,
            Kind.MISSING_ARGUMENTS,
            Kind.NOT_AN_OBJECT);
    assertThat(t.errors().get(0).message())
        .contains("no \"name\"")
        .contains("{\"arguments\": {\"x\": 1}}");
    assertThat(t.errors().get(2).message())
        .contains("\"arguments\" must be a JSON object")
        .contains("string");
    // The good call after the bad ones is still taken.
    assertThat(t.calls()).extracting(ToolCall::name).containsExactly("zoom");
    assertThat(t.textSegments()).hasSize(7);
  }

  @Test
  void unclosedTagIsReported() {
    ParsedAssistantTurn t =
        ToolCallParser.parse(
            "Cropping.\n<tool_call>\n{\"name\": \"crop\", \"arguments\": {\"bbox\": [1, 2, 3, 4]}}");
    assertThat(t.calls()).isEmpty();
    assertThat(t.errors()).hasSize(1);
    ToolCallParseError e = t.errors().get(0);
    assertThat(e.kind()).isEqualTo(Kind.UNCLOSED_TAG);
    assertThat(e.snippet()).startsWith("<tool_call>\n{\"name\": \"crop\"");
    assertThat(e.message()).contains("not closed");
    assertThat(t.textSegments()).containsExactly("Cropping.\n", "");
  }

  @Test
  void unclosedTagBeforeAnotherCallKeepsTheNextCall() {
    ParsedAssistantTurn t =
        ToolCallParser.parse(
            "<tool_call>{\"name\": \"a\""
                + "<tool_call>{\"name\": \"b\", \"arguments\": {}}</tool_call>");
    assertThat(t.errors()).extracting(ToolCallParseError::kind).containsExactly(Kind.UNCLOSED_TAG);
    assertThat(t.errors().get(0).snippet()).isEqualTo("<tool_call>{\"name\": \"a\"");
    assertThat(t.calls()).extracting(ToolCall::name).containsExactly("b");
  }

  @Test
  void strayClosingTagIsReported() {
    ParsedAssistantTurn t =
        ToolCallParser.parse("{\"name\": \"crop\"}</tool_call> FINAL ANSWER: 3");
    assertThat(t.errors())
        .extracting(ToolCallParseError::kind)
        .containsExactly(Kind.STRAY_CLOSING_TAG);
    assertThat(t.finalAnswer()).contains("3");
  }

  @Test
  void noCallAndFinalAnswer() {
    ParsedAssistantTurn t =
        ToolCallParser.parse(
            "The tallest bar is 2020.\n" + "FINAL ANSWER: 2020 \nThanks.<|im_end|>");
    assertThat(t.calls()).isEmpty();
    assertThat(t.errors()).isEmpty();
    assertThat(t.finalAnswer()).contains("2020");
    assertThat(t.text()).isEqualTo("The tallest bar is 2020.\nFINAL ANSWER: 2020 \nThanks.");
  }

  @Test
  void finalAnswerIsTheLastOneOutsideCalls() {
    ParsedAssistantTurn t =
        ToolCallParser.parse(
            "FINAL ANSWER: draft\n<tool_call>"
                + "{\"name\": \"note\", \"arguments\": {\"t\": \"FINAL ANSWER: no\"}}</tool_call>\n"
                + "FINAL ANSWER: 12.5%");
    assertThat(t.finalAnswer()).contains("12.5%");
    assertThat(ToolCallParser.parse("FINAL ANSWER:   \n").finalAnswer()).isEmpty();
    assertThat(ToolCallParser.parse("no answer here").finalAnswer()).isEmpty();
  }
}
