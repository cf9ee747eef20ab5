package ai.attune.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.safetensors.HostTensor;
import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.attune.core.safetensors.SafetensorsDtype;
import ai.attune.core.safetensors.SafetensorsException;
import ai.attune.core.safetensors.SafetensorsWriter;
import ai.attune.core.safetensors.TensorInfo;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the files a user hands the library: safetensors headers and {@code
 * config.json}. Every mutated case must either load or fail with one of the project's own exception
 * types ({@code ai.attune.*}) carrying a message that names the file; never an engine (libtorch)
 * error, a JVM error or a hang. The tallies printed per outcome show what the cases exercised.
 */
class InputFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long[] NUMBERS = {
    -1, 0, 1, 2, 3, 7, 63, 4096, 1L << 31, 1L << 40, Long.MAX_VALUE
  };

  @TempDir Path tmp;

  @Test
  @Timeout(120)
  void mutatedSafetensorsHeadersFailWithTheProjectsOwnErrors() throws IOException {
    byte[] original = smallCheckpoint(tmp.resolve("base.safetensors"));
    long headerLength = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getLong();
    Random random = new Random(13);
    Map<String, Integer> outcomes = new TreeMap<>();
    Path file = tmp.resolve("model.safetensors");
    int cases = 2000;
    for (int c = 0; c < cases; c++) {
      byte[] mutated = mutateSafetensors(original, (int) headerLength, random);
      Files.write(file, mutated);
      String outcome;
      try (SafetensorsCheckpoint in = SafetensorsCheckpoint.open(file)) {
        for (String name : in.names()) {
          TensorInfo info = in.info(name);
          if (info.dtype().isFloating()) {
            in.read(name).toFloats();
          } else {
            in.read(name).toLongs();
          }
        }
        outcome = "loaded";
      } catch (SafetensorsException e) {
        assertThat(e.getMessage()).as("case %d", c).contains(file.toString());
        outcome = "SafetensorsException";
      } catch (RuntimeException | Error e) {
        throw new AssertionError("case " + c + " ended in " + e, e);
      }
      outcomes.merge(outcome, 1, Integer::sum);
    }
    System.out.printf("safetensors header fuzz, %d cases: %s%n", cases, outcomes);
    assertThat(outcomes.getOrDefault("SafetensorsException", 0)).isGreaterThan(cases / 2);
  }

  /**
   * A few small tensors of every dtype family (float32, float16, bfloat16, int64), so that each
   * case reads every tensor back in microseconds.
   */
  private static byte[] smallCheckpoint(Path file) throws IOException {
    float[] values = new float[24];
    for (int i = 0; i < values.length; i++) {
      values[i] = i * 0.25f - 2;
    }
    HostTensor w = HostTensor.ofFloats("model.layers.0.weight", new long[] {4, 6}, values);
    SafetensorsWriter.write(
        file,
        List.of(
            w,
            w.convert(SafetensorsDtype.F16).withName("model.layers.1.weight"),
            w.convert(SafetensorsDtype.BF16).withName("model.layers.2.weight"),
            HostTensor.ofFloats("model.norm.bias", new long[] {6}, Arrays.copyOf(values, 6)),
            HostTensor.ofLongs("position_ids", new long[] {2, 3}, new long[] {0, 1, 2, 3, 4, 5})),
        Map.of("format", "pt"));
    return Files.readAllBytes(file);
  }

  private static byte[] mutateSafetensors(byte[] original, int headerLength, Random random) {
    byte[] b = original.clone();
    int kind = random.nextInt(6);
    switch (kind) {
      case 0:
        { // flip bytes of the header
          for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            b[8 + random.nextInt(headerLength)] ^= (byte) (1 + random.nextInt(255));
          }
          return b;
        }
      case 1:
        { // replace a number of the header (offsets, shapes) by an edge value
          String header = new String(b, 8, headerLength, StandardCharsets.UTF_8);
          List<int[]> spans = numberSpans(header);
          int[] span = spans.get(random.nextInt(spans.size()));
          long v = NUMBERS[random.nextInt(NUMBERS.length)];
          String replaced = header.substring(0, span[0]) + v + header.substring(span[1]);
          return withHeader(b, headerLength, replaced, random.nextBoolean());
        }
      case 2:
        { // replace a dtype
          String header = new String(b, 8, headerLength, StandardCharsets.UTF_8);
          String[] dtypes = {
            "\"F32\"", "\"BF16\"", "\"I8\"", "\"X9\"", "\"\"", "\"f32\"", "\"BOOL\"", "\"F64\""
          };
          String replaced = header.replaceFirst("\"F32\"", dtypes[random.nextInt(dtypes.length)]);
          return withHeader(b, headerLength, replaced, random.nextBoolean());
        }
      case 3:
        { // delete a span of the header
          String header = new String(b, 8, headerLength, StandardCharsets.UTF_8);
          int from = random.nextInt(header.length());
          int to = Math.min(header.length(), from + 1 + random.nextInt(40));
          return withHeader(
              b,
              headerLength,
              header.substring(0, from) + header.substring(to),
              random.nextBoolean());
        }
      case 4:
        { // an implausible header length
          long[] lengths = {
            0, 1, 7, headerLength - 1, headerLength + 1, b.length, b.length - 8, 1L << 40, -1
          };
          ByteBuffer.wrap(b)
              .order(ByteOrder.LITTLE_ENDIAN)
              .putLong(0, lengths[random.nextInt(lengths.length)]);
          return b;
        }
      default: // truncated
        return Arrays.copyOf(b, random.nextInt(b.length));
    }
  }

  /** Start and end of every run of digits in {@code s}. */
  private static List<int[]> numberSpans(String s) {
    List<int[]> spans = new ArrayList<>();
    for (int i = 0; i < s.length(); i++) {
      if (Character.isDigit(s.charAt(i))) {
        int j = i;
        while (j < s.length() && Character.isDigit(s.charAt(j))) {
          j++;
        }
        spans.add(new int[] {i, j});
        i = j;
      }
    }
    return spans;
  }

  /** The file with another header; {@code fixLength} rewrites the length field to match it. */
  private static byte[] withHeader(byte[] b, int oldLength, String header, boolean fixLength) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[8 + h.length + b.length - 8 - oldLength];
    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(fixLength ? h.length : oldLength);
    System.arraycopy(h, 0, out, 8, h.length);
    System.arraycopy(b, 8 + oldLength, out, 8 + h.length, b.length - 8 - oldLength);
    return out;
  }

  /** 240 cases in the default tier (about 10% of them load a model, the slow part). */
  @Test
  @Timeout(120)
  void mutatedModelConfigsFailWithTheProjectsOwnErrors() throws IOException {
    fuzzConfigs(60, 9);
  }

  /** 1,040 cases, another seed. */
  @Test
  @Tag("slow")
  @Timeout(600)
  void manyMoreMutatedModelConfigsFailWithTheProjectsOwnErrors() throws IOException {
    fuzzConfigs(260, 10);
  }

  private void fuzzConfigs(int perModel, long seed) throws IOException {
    Random random = new Random(seed);
    Map<String, Integer> outcomes = new TreeMap<>();
    int cases = 0;
    try (NDManager root = Engines.newManager(DevicePolicy.CPU)) {
      for (String model : List.of("opt-tiny", "llama3-tiny", "qwen2-tiny", "roberta-tiny")) {
        Path dir = copy(TestData.dir(model), tmp.resolve(model + "-" + seed));
        String original = Files.readString(dir.resolve("config.json"));
        for (int c = 0; c < perModel; c++, cases++) {
          String mutated = mutateConfig(original, random);
          Files.writeString(dir.resolve("config.json"), mutated);
          String outcome;
          try (LanguageModel lm = Models.loadAny(dir, ComputeDtype.FLOAT32, root)) {
            outcome = "loaded";
          } catch (RuntimeException e) {
            if (!e.getClass().getName().startsWith("ai.attune.")) {
              fail("%s case %d ended in %s for config %s", model, c, e, mutated, e);
            }
            assertThat(e.getMessage())
                .as("%s case %d", model, c)
                .isNotBlank()
                .doesNotContain("index out of range in self");
            outcome = e.getClass().getSimpleName();
          }
          outcomes.merge(outcome, 1, Integer::sum);
        }
      }
    }
    System.out.printf("config.json fuzz, %d cases: %s%n", cases, outcomes);
    assertThat(cases).isEqualTo(4 * perModel);
    assertThat(outcomes.getOrDefault("ConfigException", 0)).isGreaterThan(cases / 3);
  }

  private static Path copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
    return to;
  }

  private static String mutateConfig(String original, Random random) throws IOException {
    if (random.nextInt(8) == 0) { // a torn or garbled file
      int at = random.nextInt(original.length());
      return random.nextBoolean()
          ? original.substring(0, at)
          : original.substring(0, at) + "\u0000{" + original.substring(at);
    }
    ObjectNode tree = (ObjectNode) JSON.readTree(original);
    for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) {
      List<ObjectNode> parents = new ArrayList<>();
      List<String> names = new ArrayList<>();
      collect(tree, parents, names);
      int k = random.nextInt(names.size());
      ObjectNode parent = parents.get(k);
      String name = names.get(k);
      switch (random.nextInt(9)) {
        case 0 -> parent.remove(name);
        case 1 -> parent.put(name, "x");
        case 2 -> parent.put(name, NUMBERS[random.nextInt(NUMBERS.length)]);
        case 3 -> parent.put(name, -3);
        case 4 -> parent.put(name, 2.5);
        case 5 -> parent.putNull(name);
        case 6 -> parent.putArray(name).add(1);
        case 7 -> parent.putObject(name).put("a", 1);
        default -> parent.put(name, random.nextBoolean());
      }
    }
    return JSON.writeValueAsString(tree);
  }

  private static void collect(JsonNode node, List<ObjectNode> parents, List<String> names) {
    if (node instanceof ObjectNode o) {
      Iterator<String> it = o.fieldNames();
      while (it.hasNext()) {
        String n = it.next();
        parents.add(o);
        names.add(n);
        collect(o.get(n), parents, names);
      }
    } else if (node instanceof ArrayNode a) {
      for (JsonNode e : a) {
        collect(e, parents, names);
      }
    }
  }
}
