package ai.attune.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.Engines;
import ai.attune.examples.GrzoCliTest.Run;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attune iapo eval --spark-master}: the table and the samples of one process, from Spark
 * partitions; a cluster master without {@code --partitions} is refused with what to add.
 */
@Tag("e2e")
class IapoSparkCliTest {
  @TempDir Path tmp;

  @BeforeAll
  static void oneThread() {
    Engines.pytorch();
    JniUtils.setNumThreads(1); // tiny tensors: a second thread only waits for a busy core
  }

  /** iapo eval of 20 training and the 12 test charts, sampled at temperature 1, 22 samples. */
  private static Run eval(Path samples, String... extra) {
    Path charts = AttuneCliTest.data("charts-synth");
    List<String> args =
        new ArrayList<>(
            List.of(
                "iapo",
                "eval",
                "--model",
                AttuneCliTest.data("qwen2_5_vl-tiny").toString(),
                "--data",
                charts.resolve("train.jsonl").toString(),
                charts.resolve("test.jsonl").toString(),
                "--max-examples",
                "20",
                "--max-turns",
                "2",
                "--max-new-tokens",
                "6",
                "--temperature",
                "1",
                "--tools",
                "highlight,zoom_in",
                "--no-tool-definitions",
                "--samples",
                samples.toString(),
                "--sample-count",
                "22",
                "--seed",
                "7",
                "--device",
                "cpu"));
    args.addAll(List.of(extra));
    return GrzoCliTest.run(args.toArray(String[]::new));
  }

  @Test
  void aClusterMasterWithoutPartitionsIsRefusedWithWhatToAdd() {
    Run r = eval(tmp.resolve("none"), "--spark-master", "spark://127.0.0.1:7077");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("--spark-master spark://127.0.0.1:7077 needs --partitions N");
    assertThat(tmp.resolve("none")).doesNotExist();
  }

  /**
   * Slow: a Spark context of its own takes ~10 s to start on two cores (13.3 s measured in all).
   */
  @Test
  @Tag("slow")
  void localTwoPrintsTheOneProcessTableAndWritesItsSamples() throws IOException {
    long t0 = System.nanoTime();
    Run one = eval(tmp.resolve("one"));
    long t1 = System.nanoTime();
    Run spread = eval(tmp.resolve("spread"), "--spark-master", "local[2]");
    long t2 = System.nanoTime();
    System.out.printf(
        "one process %.1f s, local[2] %.1f s:%n%s", (t1 - t0) / 1e9, (t2 - t1) / 1e9, spread.out());
    assertThat(one.code()).as(one.err()).isZero();
    assertThat(spread.code()).as(spread.err()).isZero();
    assertThat(spread.out()).isEqualTo(one.out());
    assertThat(one.out().lines().toList().get(1).split("\\s+")).startsWith("train", "20");
    assertThat(one.out().lines().toList().get(2).split("\\s+")).startsWith("test", "12");
    List<String> files = files(tmp.resolve("one"));
    assertThat(files).contains("sample-21.md").doesNotContain("sample-22.md");
    assertThat(files(tmp.resolve("spread"))).isEqualTo(files);
    for (String f : files) {
      assertThat(Files.readAllBytes(tmp.resolve("spread").resolve(f)))
          .as(f)
          .isEqualTo(Files.readAllBytes(tmp.resolve("one").resolve(f)));
    }
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
