package ai.attune.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.examples.GrzoCliTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code attune grzo train --spark-master}: data-parallel training from the command line. */
class GrzoSparkCliTest {
  @TempDir Path tmp;

  private Path config() throws IOException {
    Path file = tmp.resolve("run.yaml");
    Path sst2 = AttuneCliTest.data("tasks/sst2-synth").toAbsolutePath();
    Files.writeString(
        file,
        """
        model: {dir: %s, device: cpu}
        task: {name: sst2, train: %s, dev: %s, test: null, dev_examples: 16, max_length: 32}
        optimizer: {name: grzo, lr: 0.05, sigma: 0.01}
        train: {steps: 4, batch_size: 8, eval_every: 0, checkpoint_every: 2, log_every: 100}
        output: {dir: out, plot: false}
        """
            .formatted(
                AttuneCliTest.data("opt-tiny").toAbsolutePath(),
                sst2.resolve("train.jsonl"),
                sst2.resolve("dev.jsonl")));
    return file;
  }

  @Test
  void aClusterMasterWithoutWorkersIsRefusedWithWhatToAdd() throws IOException {
    Run r =
        GrzoCliTest.run(
            "grzo",
            "train",
            "--config",
            config().toString(),
            "--spark-master",
            "spark://127.0.0.1:7077");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("--spark-master spark://127.0.0.1:7077 needs --workers N");
  }

  @Test
  @Tag("slow")
  void trainsOnLocalTwoWithBothWorkersEndingOnTheSameWeights() throws IOException {
    Run r =
        GrzoCliTest.run(
            "grzo",
            "train",
            "--config",
            config().toString(),
            "--spark-master",
            "local[2]",
            "--checksum-every",
            "2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("trained 4 of 4 steps").contains("dev accuracy (16 examples)");
    Matcher m =
        Pattern.compile("worker (\\d): 4 steps, weights checksum ([0-9a-f]{8})").matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    String first = m.group(2);
    assertThat(m.find()).as(r.out()).isTrue();
    assertThat(m.group(2)).isEqualTo(first);
    // the header line, then one line per step
    assertThat(Files.readAllLines(tmp.resolve("out/seed_log.jsonl"))).hasSize(5);
  }
}
