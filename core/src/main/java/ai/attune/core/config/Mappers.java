package ai.attune.core.config;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The two Jackson mappers the library shares, configured once and explicitly.
 *
 * <p>Both mappers:
 *
 * <ul>
 *   <li>fail on unknown properties when binding to a class or record ({@code
 *       FAIL_ON_UNKNOWN_PROPERTIES} on), so a misspelt key in an Attune config is an error rather
 *       than a silently ignored setting. Files written by other tools, such as a Hugging Face
 *       {@code config.json}, are read as trees through {@link JsonConfig}, where unknown fields are
 *       simply never asked for; a reader that must tolerate newer fields turns the feature off for
 *       itself with {@code readerFor(type).without(FAIL_ON_UNKNOWN_PROPERTIES)};
 *   <li>fail on trailing tokens after the top-level value;
 *   <li>accept the bare {@code NaN}, {@code Infinity} and {@code -Infinity} that Python's {@code
 *       json} module writes, and write non-finite doubles as the strings {@code "NaN"}, {@code
 *       "Infinity"} and {@code "-Infinity"} (JSON has no literal for them).
 * </ul>
 *
 * <p>The JSON mapper indents its output ({@code INDENT_OUTPUT}); the YAML mapper writes no {@code
 * ---} document marker and quotes strings only where YAML needs it. The instances are shared and
 * thread-safe: never reconfigure them; call {@code copy()} for a variant.
 */
public final class Mappers {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .build();

  private static final ObjectMapper YAML =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Mappers() {}

  /** The shared JSON mapper: strict binding, pretty output, non-finite doubles as strings. */
  public static ObjectMapper json() {
    return JSON;
  }

  /** The shared YAML mapper: strict binding, no document marker, minimal quoting. */
  public static ObjectMapper yaml() {
    return YAML;
  }
}
