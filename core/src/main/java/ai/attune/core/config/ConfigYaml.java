package ai.attune.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.PropertyWriter;
import com.fasterxml.jackson.databind.ser.impl.UnwrappingBeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Binds a YAML config tree to its record type (the GRZO and IAPO trainer configs) and turns
 * Jackson's errors into {@link ConfigException}s that name the file and the dotted field: unknown
 * keys, missing required fields, values of the wrong type, unknown enum values and out-of-range
 * settings.
 *
 * <p>A config section may hold the validated domain records of its settings as {@code
 * JsonUnwrapped} components: their keys sit flat in the section beside its own. Two rules keep such
 * a section strict and its errors named:
 *
 * <ul>
 *   <li>Jackson reads an object with an unwrapped component leniently (a key nobody reads is
 *       dropped), so before binding, every key of the input is checked against the keys its record
 *       writes (an unwrapped record's keys counting as its holder's); the first that is not one is
 *       refused as an unknown key. Every bound record therefore writes each key it reads, under the
 *       same name, and nothing else ({@code JsonIgnore} on what is not a setting);
 *   <li>a domain record names the key at fault by its own name ({@code top_p}); Jackson reports the
 *       failure at the section holding it, whose path is put in front ({@code rollout.top_p}). A
 *       section record names its fields in full ({@code rollout.group_size}).
 * </ul>
 */
public final class ConfigYaml {
  /** The shared strict YAML mapper, reading enums case-insensitively and writing them lower. */
  public static final ObjectMapper MAPPER = mapper();

  private static final Pattern MISSING =
      Pattern.compile("Missing (?:required )?creator property '([^']+)'");

  private ConfigYaml() {}

  @SuppressWarnings("deprecation") // MapperFeature on a copy: the shared mapper has no rebuild()
  private static ObjectMapper mapper() {
    YAMLMapper m = ((YAMLMapper) Mappers.yaml()).copy();
    m.configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true);
    m.configure(EnumFeature.WRITE_ENUMS_TO_LOWERCASE, true);
    m.enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
    m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return m;
  }

  /** A config record as YAML (snake_case keys, lower-case enum values). */
  public static String write(Object config) {
    try {
      return MAPPER.writeValueAsString(config);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the config as YAML", e);
    }
  }

  /** {@code tree} bound to {@code type}; errors name {@code source} and the dotted field. */
  public static <T> T bind(String source, ObjectNode tree, Class<T> type) {
    UnknownKey unknown = unknownKey("", tree, MAPPER.constructType(type));
    if (unknown != null) {
      throw ConfigException.forField(source, unknown.path(), unknown.problem());
    }
    return read(source, tree, type);
  }

  /** A key of the input that its record does not write, and the keys it does write. */
  private record UnknownKey(String path, Collection<String> known) {
    String problem() {
      return known.isEmpty()
          ? "unknown key"
          : "unknown key (known keys: " + String.join(", ", known) + ")";
    }
  }

  /**
   * The first key of {@code input} that is not a key of {@code type}: one its serializer writes,
   * the keys of an unwrapped record counting as its holder's (not the component's own name, which
   * Jackson would otherwise take for a key). Values that are not records (trees, maps, scalars) are
   * not looked into.
   */
  private static UnknownKey unknownKey(String path, JsonNode input, JavaType type) {
    if (input.isArray() && type.isContainerType() && type.getContentType() != null) {
      for (int i = 0; i < input.size(); i++) {
        UnknownKey u = unknownKey(path + "[" + i + "]", input.get(i), type.getContentType());
        if (u != null) {
          return u;
        }
      }
      return null;
    }
    if (!input.isObject()) {
      return null;
    }
    Map<String, JavaType> known = keys(type);
    if (known == null) {
      return null;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = input.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      JavaType valueType = known.get(e.getKey());
      if (valueType == null) {
        return new UnknownKey(at, known.keySet());
      }
      UnknownKey u = unknownKey(at, e.getValue(), valueType);
      if (u != null) {
        return u;
      }
    }
    return null;
  }

  /** The keys a record of {@code type} writes with their types, sorted; null if not a record. */
  private static Map<String, JavaType> keys(JavaType type) {
    JsonSerializer<Object> serializer;
    try {
      serializer = MAPPER.getSerializerProviderInstance().findValueSerializer(type);
    } catch (JsonMappingException e) {
      throw new IllegalStateException("cannot write " + type + " as YAML", e);
    }
    if (!(serializer instanceof BeanSerializerBase)) {
      return null;
    }
    Map<String, JavaType> keys = new TreeMap<>();
    Iterator<PropertyWriter> writers = serializer.properties();
    while (writers.hasNext()) {
      PropertyWriter w = writers.next();
      Map<String, JavaType> inner =
          w instanceof UnwrappingBeanPropertyWriter ? keys(w.getType()) : null;
      if (inner != null) {
        keys.putAll(inner);
      } else {
        keys.put(w.getName(), w.getType());
      }
    }
    return keys;
  }

  private static <T> T read(String source, ObjectNode tree, Class<T> type) {
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (ValueInstantiationException e) {
      if (e.getCause() instanceof InvalidSettingException bad) {
        throw ConfigException.forField(source, qualified(path(e), bad.field()), bad.problem());
      }
      throw ConfigException.forField(source, path(e), message(e.getCause()));
    } catch (UnrecognizedPropertyException e) {
      List<String> known =
          e.getKnownPropertyIds() == null
              ? List.of()
              : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
      UnknownKey unknown = new UnknownKey(path(e), known);
      throw ConfigException.forField(source, unknown.path(), unknown.problem());
    } catch (InvalidFormatException e) {
      throw ConfigException.forField(source, path(e), invalidValue(e));
    } catch (MismatchedInputException e) {
      String problem =
          MISSING.matcher(String.valueOf(e.getOriginalMessage())).lookingAt()
              ? "required field is missing"
              : "wrong type: " + firstLine(e.getOriginalMessage());
      throw ConfigException.forField(source, path(e), problem);
    } catch (JsonMappingException e) {
      throw ConfigException.forField(source, path(e), firstLine(e.getOriginalMessage()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ConfigException.forSource(source, firstLine(e.getOriginalMessage()), e);
    }
  }

  /** {@code over} laid over {@code base}: objects merge key by key, anything else replaces. */
  public static ObjectNode merge(ObjectNode base, ObjectNode over) {
    ObjectNode out = base.deepCopy();
    Iterator<Map.Entry<String, JsonNode>> fields = over.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      var current = out.get(e.getKey());
      if (current != null && current.isObject() && e.getValue().isObject()) {
        out.set(e.getKey(), merge((ObjectNode) current, (ObjectNode) e.getValue()));
      } else {
        out.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return out;
  }

  private static String invalidValue(InvalidFormatException e) {
    Class<?> type = e.getTargetType();
    if (type != null && type.isEnum()) {
      String allowed =
          Arrays.stream(type.getEnumConstants())
              .map(c -> MAPPER.valueToTree(c).asText())
              .collect(Collectors.joining(", "));
      return "unknown value '" + e.getValue() + "', expected one of " + allowed;
    }
    String expected = type == null ? "another type" : type.getSimpleName();
    return "cannot read '" + e.getValue() + "' as " + expected;
  }

  /**
   * The full dotted name of {@code field}, named by a record bound at {@code at}: a section record
   * names its fields in full ({@code optim.lr}, kept as they are), a domain record bound straight
   * from a section names its own key ({@code lr}, put under the section's path).
   */
  static String qualified(String at, String field) {
    return field.contains(".") || at.equals("(top level)") ? field : at + "." + field;
  }

  /** The dotted path of the field at fault ({@code rollout.group_size}). */
  static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "(top level)" : sb.toString();
  }

  private static String message(Throwable t) {
    return t == null || t.getMessage() == null ? "invalid value" : t.getMessage();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid value";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
