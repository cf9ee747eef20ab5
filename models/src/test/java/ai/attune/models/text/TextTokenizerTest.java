package ai.attune.models.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.models.TestData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** DJL's HF tokenizer gives the ids HF gave for every case of tokenizer_cases.json. */
class TextTokenizerTest {
  @Test
  void idsEqualTheHfCases() throws IOException {
    JsonNode cases = new ObjectMapper().readTree(
        TestData.dir("tokenizer_cases.json").toFile());
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
}
