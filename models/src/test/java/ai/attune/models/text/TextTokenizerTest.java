package ai.attune.models.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.models.TestData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** DJL's HF tokenizer gives the ids HF gave for every case of tokenizer_cases.json. */
@Tag("engine")
class TextTokenizerTest {
  @Test
  void idsEqualTheHfCases() throws IOException {
    JsonNode cases = new ObjectMapper().readTree(TestData.dir("tokenizer_cases.json").toFile());
    assertThat(cases.size()).isGreaterThanOrEqualTo(4);
    try (TextTokenizer tok = TextTokenizer.load(TestData.dir("opt-tiny"))) {
      for (JsonNode c : cases) {
        long[] expected = new long[c.get("ids").size()];
        for (int i = 0; i < expected.length; i++) {
          expected[i] = c.get("ids").get(i).longValue();
        }
        String text = c.get("text").asText();
        assertThat(tok.encode(text)).as(text).containsExactly(expected);
        assertThat(tok.decode(tok.encode(text))).as("round trip").isEqualTo(text);
      }
    }
  }

  @Test
  void offsetsAreStringIndicesEvenPastSurrogatePairs() {
    String text = "a\uD83D\uDE00b<|im_end|>";
    try (TextTokenizer tok = TextTokenizer.load(TestData.dir("qwen2_5_vl-tiny"))) {
      EncodedText enc = tok.encodeWithOffsets(text);
      assertThat(enc.ids()).containsExactly(tok.encode(text));
      int n = enc.size();
      // the emoji is one code point, two chars, four byte-level tokens sharing its range
      assertThat(enc.ids()[n - 1]).isEqualTo(2);
      assertThat(text.substring(enc.starts()[n - 1], enc.ends()[n - 1])).isEqualTo("<|im_end|>");
      assertThat(text.substring(enc.starts()[n - 2], enc.ends()[n - 2])).isEqualTo("b");
      assertThat(text.substring(enc.starts()[1], enc.ends()[1])).isEqualTo("\uD83D\uDE00");
    }
  }
}
