package ai.attune.iapo.tools;

import static ai.attune.iapo.tools.ToolTestImages.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class SchemaValidatorTest {
  static final JsonNode SCHEMA =
      json(
          """
      {"type": "object", "additionalProperties": false, "required": ["n", "box"],
       "properties": {
         "n": {"type": "integer", "minimum": 1, "maximum": 8},
         "x": {"type": "number", "minimum": 0.5},
         "flag": {"type": "boolean"},
         "mode": {"type": "string", "enum": ["a", "b"]},
         "box": {"type": "array", "minItems": 4, "maxItems": 4,
                 "items": {"type": "integer", "minimum": 0}},
         "names": {"type": "array", "minItems": 1, "items": {"type": "string"}}}}
      """);

  static java.util.List<String> check(String args) {
    return SchemaValidator.validate(SCHEMA, json(args));
  }

  @Test
  void conformingArgumentsPass() {
    assertThat(check("{\"n\": 3, \"box\": [0, 1, 2, 3]}")).isEmpty();
    assertThat(
            check(
                "{\"n\": 3.0, \"box\": [0, 1, 2.0, 3], \"x\": 0.5, \"flag\": false,"
                    + " \"mode\": \"b\", \"names\": [\"Total\"]}"))
        .isEmpty();
  }

  @Test
  void nullCountsAsAbsent() {
    assertThat(check("{\"n\": 3, \"box\": [0, 1, 2, 3], \"mode\": null}")).isEmpty();
    assertThat(check("{\"n\": null, \"box\": [0, 1, 2, 3]}"))
        .containsExactly("missing required field 'n'");
  }

  @Test
  void reportsEveryProblemWithItsPath() {
    assertThat(
            check(
                "{\"n\": 2.5, \"box\": [0, -1, \"x\"], \"x\": 0.1, \"flag\": \"yes\","
                    + " \"mode\": \"c\", \"names\": [], \"extra\": 1}"))
        .containsExactly(
            "n: expected an integer, got 2.5 (number)",
            "box: expected exactly 4 items, got 3",
            "box[1]: must be at least 0, got -1",
            "box[2]: expected an integer, got \"x\" (string)",
            "x: must be at least 0.5, got 0.1",
            "flag: expected true or false, got \"yes\" (string)",
            "mode: expected one of [\"a\",\"b\"], got \"c\" (string)",
            "names: expected at least 1 items, got 0",
            "unknown field 'extra'; known fields: n, x, flag, mode, box, names");
  }

  @Test
  void missingFieldsAndRangesAndNonObjects() {
    assertThat(check("{\"n\": 9}"))
        .containsExactly("missing required field 'box'", "n: must be at most 8, got 9");
    assertThat(SchemaValidator.validate(SCHEMA, json("[1]")))
        .containsExactly("arguments: expected an object, got [1] (array)");
  }

  @Test
  void schemasOutsideTheSubsetAreRejected() {
    assertThatThrownBy(
            () ->
                SchemaValidator.checkSchema(
                    json(
                        "{\"type\": \"object\","
                            + " \"properties\": {\"a\": {\"type\": \"string\", \"pattern\": \"x\"}}}"),
                    "tool 't'"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tool 't'.a: unsupported schema keyword 'pattern'");
    assertThatThrownBy(() -> SchemaValidator.checkSchema(json("{\"type\": \"array\"}"), "t"))
        .hasMessageContaining("must be an object schema");
    assertThatThrownBy(
            () ->
                SchemaValidator.checkSchema(
                    json("{\"type\": \"object\"," + " \"properties\": {}, \"required\": [\"b\"]}"),
                    "t"))
        .hasMessage("t: required field \"b\" is not among the properties");
    assertThatThrownBy(
            () ->
                SchemaValidator.checkSchema(
                    json(
                        "{\"type\": \"object\","
                            + " \"properties\": {\"a\": {\"type\": \"float\"}}}"),
                    "t"))
        .hasMessageStartingWith("t.a: 'type' must be one of");
  }
}
