package ai.attune.iapo.data;

import ai.attune.core.config.Mappers;
import ai.attune.iapo.data.BarChartRenderer.RenderedChart;
import ai.attune.iapo.tools.Box;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * A synthetic chart-QA task with known answers: seeded random bar charts (vertical or horizontal, 3
 * to 6 bars) with questions about them, written as PNG files and a JSONL dataset in {@link
 * VqaDatasets}' format, each line naming its categories' boxes so focus tools can be used by name
 * (the bands of vertical bars as {@code columns}, of horizontal bars as {@code rows}).
 *
 * <p>Everything derives from one seed: chart {@code i} uses the {@code i}-th split of a {@link
 * SplittableRandom}, and the images use a bitmap font, so the same seed writes the same bytes on
 * any machine. Run {@code main} with {@code <out-dir> [charts] [test-charts] [seed]}.
 */
public final class SyntheticCharts {
  public static final String SOURCE = "charts-synth";
  private static final int[] PALETTE = {
    0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0x17BECF, 0xBCBD22,
    0x7F7F7F
  };
  private static final String[] CITIES = {
    "OSLO", "ROME", "LIMA", "KYIV", "BERN", "DOHA", "BAKU", "SUVA", "RIGA", "LOME", "NUUK", "APIA",
    "MALE", "AGRA"
  };
  private static final String[] MONTHS = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final int[] AXIS_MAX = {20, 50, 100, 200, 500};
  private static final ObjectWriter LINE =
      Mappers.json().writer().without(SerializationFeature.INDENT_OUTPUT);

  private SyntheticCharts() {}

  /**
   * How charts are drawn and asked about.
   *
   * @param width image width in pixels
   * @param height image height in pixels
   * @param minBars fewest bars per chart (at least 2)
   * @param maxBars most bars per chart
   * @param questionsPerChart distinct question kinds asked per chart (1 to 4)
   */
  public record Options(int width, int height, int minBars, int maxBars, int questionsPerChart) {
    /** 224×168 images (a whole number of 28-pixel Qwen2-VL patches), 3–6 bars, 2 questions. */
    public static final Options DEFAULT = new Options(224, 168, 3, 6, 2);

    public Options {
      if (minBars < 2 || maxBars < minBars || maxBars > PALETTE.length) {
        throw new IllegalArgumentException("need 2 <= minBars <= maxBars <= " + PALETTE.length);
      }
      if (questionsPerChart < 1 || questionsPerChart > ChartQuestion.Kind.values().length) {
        throw new IllegalArgumentException("questionsPerChart must be in [1, 4]");
      }
      if (width < 64 || height < 64) {
        throw new IllegalArgumentException("images must be at least 64x64");
      }
    }
  }

  /** One chart: its data, its drawing and its questions. */
  public record ChartSample(
      String id, BarChart chart, RenderedChart rendered, List<ChartQuestion> questions) {}

  /** A random chart: orientation, categories, values, colors and axis. */
  public static BarChart randomChart(SplittableRandom rnd, Options o) {
    int n = o.minBars() + rnd.nextInt(o.maxBars() - o.minBars() + 1);
    BarChart.Orientation orientation =
        rnd.nextBoolean() ? BarChart.Orientation.VERTICAL : BarChart.Orientation.HORIZONTAL;
    int axisMax = AXIS_MAX[rnd.nextInt(AXIS_MAX.length)];
    return new BarChart(
        orientation, labels(rnd, n), values(rnd, n, axisMax), colors(rnd, n), axisMax, axisMax / 5);
  }

  /** Charts {@code 0 .. count-1} of {@code seed}. */
  public static List<ChartSample> generate(int count, long seed, Options o) {
    SplittableRandom root = new SplittableRandom(seed);
    List<ChartSample> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      SplittableRandom rnd = root.split();
      BarChart chart = randomChart(rnd, o);
      List<ChartQuestion.Kind> kinds = new ArrayList<>(List.of(ChartQuestion.Kind.values()));
      List<ChartQuestion> questions = new ArrayList<>();
      for (int q = 0; q < o.questionsPerChart(); q++) {
        questions.add(ChartQuestion.ask(kinds.remove(rnd.nextInt(kinds.size())), chart, rnd));
      }
      out.add(
          new ChartSample(
              String.format("chart-%03d", i),
              chart,
              BarChartRenderer.render(chart, o.width(), o.height()),
              questions));
    }
    return out;
  }

  /**
   * Writes {@code count} charts to {@code dir}: {@code images/<id>.png}, the questions of the first
   * {@code count - testCount} charts to {@code train.jsonl} and of the rest to {@code test.jsonl}.
   */
  public static List<ChartSample> write(Path dir, int count, int testCount, long seed, Options o) {
    if (testCount < 0 || testCount > count) {
      throw new IllegalArgumentException("testCount must be in [0, " + count + "]");
    }
    List<ChartSample> samples = generate(count, seed, o);
    try {
      Files.createDirectories(dir.resolve("images"));
      StringBuilder train = new StringBuilder();
      StringBuilder test = new StringBuilder();
      for (int i = 0; i < samples.size(); i++) {
        ChartSample s = samples.get(i);
        String image = "images/" + s.id() + ".png";
        Files.write(dir.resolve(image), png(s.rendered()));
        for (int q = 0; q < s.questions().size(); q++) {
          ObjectNode line = line(s, q, image);
          (i < count - testCount ? train : test).append(LINE.writeValueAsString(line)).append('\n');
        }
      }
      Files.writeString(dir.resolve("train.jsonl"), train, StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("test.jsonl"), test, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the chart set to " + dir, e);
    }
    return samples;
  }

  /** The PNG bytes of a chart. */
  public static byte[] png(RenderedChart chart) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(chart.image(), "png", out)) {
      throw new IOException("no PNG writer");
    }
    return out.toByteArray();
  }

  public static void main(String[] args) {
    if (args.length < 1 || args.length > 4) {
      System.err.println(
          "usage: SyntheticCharts <out-dir> [charts=24] [test-charts=6]" + " [seed=20260611]");
      System.exit(2);
    }
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 24;
    int test = args.length > 2 ? Integer.parseInt(args[2]) : 6;
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 20260611L;
    Path dir = Paths.get(args[0]);
    List<ChartSample> samples = write(dir, count, test, seed, Options.DEFAULT);
    System.out.println("wrote " + samples.size() + " charts to " + dir.toAbsolutePath());
  }

  private static ObjectNode line(ChartSample s, int q, String image) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ChartQuestion question = s.questions().get(q);
    BarChart c = s.chart();
    ObjectNode line = f.objectNode();
    line.put("id", s.id() + "-q" + q);
    line.put("image", image);
    line.put("question", question.question());
    line.put("answer", question.answer());
    line.put("source", SOURCE);
    boolean vertical = c.orientation() == BarChart.Orientation.VERTICAL;
    ObjectNode boxes = line.putObject("boxes");
    named(boxes.putObject(vertical ? "columns" : "rows"), c.labels(), s.rendered().slots());
    ObjectNode chart = line.putObject("chart");
    chart.put("kind", question.kind().wireName());
    chart.put("orientation", c.orientation().wireName());
    ArrayNode values = chart.putArray("values");
    c.values().forEach(values::add);
    named(chart.putObject("bars"), c.labels(), s.rendered().bars());
    named(chart.putObject("label_boxes"), c.labels(), s.rendered().labels());
    return line;
  }

  private static void named(ObjectNode target, List<String> names, List<Box> boxes) {
    for (int i = 0; i < names.size(); i++) {
      ArrayNode a = target.putArray(names.get(i));
      boxes.get(i).toList().forEach(a::add);
    }
  }

  private static List<String> labels(SplittableRandom rnd, int n) {
    List<String> out = new ArrayList<>();
    switch (rnd.nextInt(3)) {
      case 0 -> {
        int start = 2010 + rnd.nextInt(11);
        for (int i = 0; i < n; i++) {
          out.add(String.valueOf(start + i));
        }
      }
      case 1 -> {
        int start = rnd.nextInt(MONTHS.length - n + 1);
        out.addAll(List.of(MONTHS).subList(start, start + n));
      }
      default -> {
        List<String> pool = new ArrayList<>(List.of(CITIES));
        for (int i = 0; i < n; i++) {
          out.add(pool.remove(rnd.nextInt(pool.size())));
        }
      }
    }
    return out;
  }

  /** Distinct values in [axisMax/20, axisMax], at least axisMax/25 apart, the largest >= half. */
  private static List<Integer> values(SplittableRandom rnd, int n, int axisMax) {
    int lo = Math.max(1, axisMax / 20);
    int gap = Math.max(1, axisMax / 25);
    while (true) {
      List<Integer> v = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        v.add(lo + rnd.nextInt(axisMax - lo + 1));
      }
      boolean ok = v.stream().anyMatch(x -> x >= axisMax / 2);
      for (int i = 0; i < n && ok; i++) {
        for (int j = i + 1; j < n && ok; j++) {
          ok = Math.abs(v.get(i) - v.get(j)) >= gap;
        }
      }
      if (ok) {
        return v;
      }
    }
  }

  private static List<Integer> colors(SplittableRandom rnd, int n) {
    List<Integer> pool = new ArrayList<>();
    for (int c : PALETTE) {
      pool.add(c);
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(pool.remove(rnd.nextInt(pool.size())));
    }
    return out;
  }
}
