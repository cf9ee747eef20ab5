package ai.attune.core.run;

import ai.attune.core.config.Mappers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one JSON object per line to a metrics file (JSONL): {@code {"step":120,"time":
 * 1717236930.123,"loss":0.6931,...}}, flushed after every line so a crash loses nothing logged.
 *
 * <p>{@code time} is wall-clock epoch seconds with millisecond precision. Metric names keep the
 * iteration order of the map passed to {@link #log} (use a {@code LinkedHashMap} to choose it);
 * {@code step} and {@code time} are reserved. JSON has no NaN or infinity, so non-finite numbers
 * are written as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}: unlike null
 * they keep which of the three it was, and Python's {@code float()} parses each of them; {@link
 * #number} reads them back as doubles.
 *
 * <p>Opening with {@code append} after a crash first cuts off a last line that has no newline, the
 * trace of a write the crash interrupted, so the resumed file stays valid JSONL.
 */
public final class MetricsWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsWriter.class);
  private static final ObjectWriter LINE =
      Mappers.json().writer().without(SerializationFeature.INDENT_OUTPUT);
  private static final int SCAN_CHUNK = 1 << 13;

  private final Path file;
  private final OutputStream out;
  private final Clock clock;
  private boolean closed;

  private MetricsWriter(Path file, OutputStream out, Clock clock) {
    this.file = file;
    this.out = out;
    this.clock = clock;
  }

  /** Opens a metrics file, creating parent directories; {@code append=false} truncates it. */
  public static MetricsWriter open(Path file, boolean append) throws IOException {
    return open(file, append, Clock.systemUTC());
  }

  static MetricsWriter open(Path file, boolean append, Clock clock) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    if (append && Files.exists(file)) {
      dropPartialLastLine(file);
    }
    OutputStream out =
        append
            ? Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
            : Files.newOutputStream(file);
    return new MetricsWriter(file, out, clock);
  }

  /** The file this writer appends to. */
  public Path file() {
    return file;
  }

  /**
   * Writes one line with the step, the current time and the values, and flushes it. Values may be
   * numbers, strings, booleans, null, or anything Jackson can serialise (lists, maps, records).
   *
   * @throws UncheckedIOException when the line cannot be written
   */
  public synchronized void log(long step, Map<String, ?> values) {
    if (closed) {
      throw new IllegalStateException("metrics file " + file + " is already closed");
    }
    ObjectNode line = JsonNodeFactory.instance.objectNode();
    line.put("step", step);
    line.put("time", clock.millis() / 1000.0);
    for (Map.Entry<String, ?> e : values.entrySet()) {
      if (line.has(e.getKey())) {
        throw new IllegalArgumentException(
            "metric name '" + e.getKey() + "' is reserved (step and time are written by log)");
      }
      line.set(e.getKey(), toNode(e.getValue()));
    }
    try {
      out.write((LINE.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to metrics file " + file, e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }

  /**
   * Reads every line of a metrics file. A last line without a newline that does not parse is a
   * write still in progress (or cut by a crash) and is skipped; any other bad line is an error.
   *
   * @throws IOException naming {@code file:line} for a line that is not a JSON object
   */
  public static List<ObjectNode> readAll(Path file) throws IOException {
    String[] lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1);
    List<ObjectNode> rows = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      boolean unterminated = i == lines.length - 1;
      JsonNode node;
      try {
        node = Mappers.json().readTree(line);
      } catch (JsonProcessingException e) {
        if (unterminated) {
          break;
        }
        throw new IOException(
            file + ":" + (i + 1) + ": malformed JSON: " + e.getOriginalMessage(), e);
      }
      if (!node.isObject()) {
        throw new IOException(file + ":" + (i + 1) + ": expected a JSON object, found " + line);
      }
      rows.add((ObjectNode) node);
    }
    return rows;
  }

  /**
   * A metric of one line as a double: numbers as they are, the strings {@code "NaN"}, {@code
   * "Infinity"} and {@code "-Infinity"} as the non-finite values; NaN when the metric is absent or
   * null.
   */
  public static double number(JsonNode line, String name) {
    JsonNode v = line.get(name);
    if (v == null || v.isNull()) {
      return Double.NaN;
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    switch (v.asText()) {
      case "NaN":
        return Double.NaN;
      case "Infinity":
        return Double.POSITIVE_INFINITY;
      case "-Infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        throw new IllegalArgumentException("metric '" + name + "' is not a number: " + v);
    }
  }

  private static JsonNode toNode(Object value) {
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        return JsonNodeFactory.instance.textNode(Double.toString(d));
      }
    }
    return Mappers.json().valueToTree(value);
  }

  /** Cuts the file after its last newline when the bytes after it are an interrupted write. */
  private static void dropPartialLastLine(Path file) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = channel.size();
      long keep = endOfLastLine(channel, size);
      if (keep < size) {
        LOG.warn(
            "{}: dropping a partial last line of {} bytes left by an interrupted run",
            file,
            size - keep);
        channel.truncate(keep);
        channel.force(true);
      }
    }
  }

  /** The offset just after the last newline, or 0 when the file has none. */
  private static long endOfLastLine(FileChannel channel, long size) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(SCAN_CHUNK);
    long pos = size;
    while (pos > 0) {
      int n = (int) Math.min(SCAN_CHUNK, pos);
      pos -= n;
      buffer.clear().limit(n);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, pos + buffer.position()) < 0) {
          throw new IOException(channel + " shrank while it was being read");
        }
      }
      for (int i = n - 1; i >= 0; i--) {
        if (buffer.get(i) == '\n') {
          return pos + i + 1;
        }
      }
    }
    return 0;
  }
}
