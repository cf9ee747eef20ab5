package ai.attune.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A read-only view of one JSON object (a Hugging Face {@code config.json} or a part of it), with
 * typed accessors that fail clearly.
 *
 * <p>Model code reads the fields it needs into its own validated record; fields it never asks for
 * are ignored. Every error is a {@link ConfigException} naming the source, the full dotted path of
 * the field (nested objects keep their prefix: {@code text_config.rope_parameters.rope_theta}) and
 * the offending value. A field whose value is JSON {@code null} counts as absent: {@code require*}
 * fails on it and {@code opt*} returns the default.
 *
 * <p>Conversions are strict: strings are never parsed as numbers, {@code 1.5} is not an int (but
 * {@code 4096.0} is), and a boolean is only {@code true} or {@code false}. Instances are immutable
 * and hold a private copy of the tree.
 */
public final class JsonConfig {
  private final ObjectNode node;
  private final FieldPath at;
  private final Path file;

  private JsonConfig(ObjectNode node, FieldPath at, Path file) {
    this.node = node;
    this.at = at;
    this.file = file;
  }

  /** Reads a JSON file whose top level is an object; the file path is the source in messages. */
  public static JsonConfig read(Path file) {
    String source = file.toString();
    JsonNode root;
    try {
      root = Mappers.json().readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw ConfigException.forSource(source, "file not found", e);
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      String position =
          where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
      throw ConfigException.forSource(
          source, "not valid JSON" + position + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw ConfigException.forSource(source, "cannot read: " + e, e);
    }
    if (root == null || !root.isObject()) {
      String found = root == null || root.isMissingNode() ? "nothing" : FieldPath.show(root);
      throw ConfigException.forSource(
          source, "expected a JSON object at the top level, found " + found, null);
    }
    return new JsonConfig((ObjectNode) root, new FieldPath(source, ""), file);
  }

  /** A view of an object already in memory; {@code source} labels it in messages. */
  public static JsonConfig of(ObjectNode node, String source) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(source, "source");
    return new JsonConfig(node.deepCopy(), new FieldPath(source, ""), null);
  }

  /** The file this configuration was read from, if it was read from a file. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** The label used in messages: the file path, or the source given to {@link #of}. */
  public String source() {
    return at.source();
  }

  /** The dotted path of this object inside its source; empty for the top level. */
  public String path() {
    return at.path();
  }

  /** The field names of this object, in file order. */
  public List<String> fieldNames() {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return List.copyOf(names);
  }

  /** Whether the field is present with a non-null value. */
  public boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  /** A deep copy of the underlying object. */
  public ObjectNode node() {
    return node.deepCopy();
  }

  public int requireInt(String field) {
    return require(field, FieldPath::asInt);
  }

  /** An int that must be greater than zero (sizes, counts, head numbers). */
  public int requirePositiveInt(String field) {
    int value = requireInt(field);
    if (value <= 0) {
      throw at.child(field).fail("expected a positive int, got " + value);
    }
    return value;
  }

  public long requireLong(String field) {
    return require(field, FieldPath::asLong);
  }

  public double requireDouble(String field) {
    return require(field, FieldPath::asDouble);
  }

  /** A finite double greater than zero (epsilons, rope theta, scaling factors). */
  public double requirePositiveDouble(String field) {
    double value = requireDouble(field);
    if (!(value > 0) || Double.isInfinite(value)) {
      throw at.child(field).fail("expected a positive finite number, got " + value);
    }
    return value;
  }

  public String requireString(String field) {
    return require(field, FieldPath::asString);
  }

  public boolean requireBoolean(String field) {
    return require(field, FieldPath::asBoolean);
  }

  public Optional<Integer> optInt(String field) {
    return opt(field, FieldPath::asInt);
  }

  public int optInt(String field, int dflt) {
    return optInt(field).orElse(dflt);
  }

  public Optional<Long> optLong(String field) {
    return opt(field, FieldPath::asLong);
  }

  public long optLong(String field, long dflt) {
    return optLong(field).orElse(dflt);
  }

  public Optional<Double> optDouble(String field) {
    return opt(field, FieldPath::asDouble);
  }

  public double optDouble(String field, double dflt) {
    return optDouble(field).orElse(dflt);
  }

  public Optional<String> optString(String field) {
    return opt(field, FieldPath::asString);
  }

  public String optString(String field, String dflt) {
    return optString(field).orElse(dflt);
  }

  public Optional<Boolean> optBoolean(String field) {
    return opt(field, FieldPath::asBoolean);
  }

  public boolean optBoolean(String field, boolean dflt) {
    return optBoolean(field).orElse(dflt);
  }

  public int[] requireIntArray(String field) {
    return requireList(field, FieldPath::asInt).stream().mapToInt(Integer::intValue).toArray();
  }

  public long[] requireLongArray(String field) {
    return requireList(field, FieldPath::asLong).stream().mapToLong(Long::longValue).toArray();
  }

  public double[] requireDoubleArray(String field) {
    return requireList(field, FieldPath::asDouble).stream()
        .mapToDouble(Double::doubleValue)
        .toArray();
  }

  public Optional<double[]> optDoubleArray(String field) {
    return opt(field, (p, v) -> list(p, v, FieldPath::asDouble))
        .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /**
   * Ints given either as one int or as an array of ints, as Hugging Face writes {@code
   * eos_token_id}; an empty list when absent.
   */
  public List<Integer> optIntList(String field) {
    return opt(field, (p, v) -> v.isArray() ? list(p, v, FieldPath::asInt) : List.of(p.asInt(v)))
        .orElse(List.of());
  }

  public List<String> requireStringList(String field) {
    return requireList(field, FieldPath::asString);
  }

  /** A list of strings (such as {@code architectures}); an empty list when absent. */
  public List<String> optStringList(String field) {
    return opt(field, (p, v) -> list(p, v, FieldPath::asString)).orElse(List.of());
  }

  /** A nested object; its messages carry the full path from the top of the file. */
  public JsonConfig requireObject(String field) {
    return require(field, this::object);
  }

  public Optional<JsonConfig> optObject(String field) {
    return opt(field, this::object);
  }

  /** A string naming a constant of {@code type}, matched case-insensitively. */
  public <E extends Enum<E>> E requireEnum(String field, Class<E> type) {
    return require(field, (p, v) -> p.asEnum(v, type));
  }

  public <E extends Enum<E>> Optional<E> optEnum(String field, Class<E> type) {
    return opt(field, (p, v) -> p.asEnum(v, type));
  }

  public <E extends Enum<E>> E optEnum(String field, Class<E> type, E dflt) {
    return optEnum(field, type).orElse(dflt);
  }

  @Override
  public String toString() {
    return at.path().isEmpty() ? at.source() : at.source() + ": " + at.path();
  }

  private <T> Optional<T> opt(String field, BiFunction<FieldPath, JsonNode, T> convert) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    return Optional.of(convert.apply(at.child(field), v));
  }

  private <T> T require(String field, BiFunction<FieldPath, JsonNode, T> convert) {
    return opt(field, convert)
        .orElseThrow(() -> at.child(field).fail("required field is missing or null"));
  }

  private <T> List<T> requireList(String field, BiFunction<FieldPath, JsonNode, T> convert) {
    return require(field, (p, v) -> list(p, v, convert));
  }

  private static <T> List<T> list(
      FieldPath p, JsonNode v, BiFunction<FieldPath, JsonNode, T> convert) {
    if (!v.isArray()) {
      throw p.wrongType("an array", v);
    }
    List<T> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      JsonNode element = v.get(i);
      if (element.isNull()) {
        throw p.element(i).fail("expected a value, got null");
      }
      out.add(convert.apply(p.element(i), element));
    }
    return List.copyOf(out);
  }

  private JsonConfig object(FieldPath p, JsonNode v) {
    if (!v.isObject()) {
      throw p.wrongType("an object", v);
    }
    return new JsonConfig((ObjectNode) v, p, file);
  }
}
