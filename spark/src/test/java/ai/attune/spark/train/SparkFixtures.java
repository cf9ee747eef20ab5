package ai.attune.spark.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.config.ConfigYaml;
import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.attune.grzo.train.GrzoTrainConfig;
import ai.attune.testsupport.Weights;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Configs over the bundled tiny OPT and synthetic SST-2, a local Spark, and weight comparisons. */
public final class SparkFixtures {
  private SparkFixtures() {}

  public static Path data(String name) {
    return Paths.get(System.getProperty("attune.testData", "../src-test-data"))
        .resolve(name)
        .toAbsolutePath()
        .normalize();
  }

  /** A short opt-tiny run on sst2-synth writing to {@code out}, {@code extra} YAML laid over it. */
  static GrzoTrainConfig config(Path out, String extra) {
    String yaml =
        """
        model: {dir: %s, device: cpu}
        task:
          name: sst2
          train: %s
          dev: %s
          test: null
          train_examples: 0
          dev_examples: 16
          max_length: 32
        optimizer: {lr: 0.05, sigma: 0.01}
        train: {steps: 6, batch_size: 8, eval_every: 0, checkpoint_every: 3, log_every: 1000}
        output: {dir: %s, plot: false}
        """
            .formatted(
                data("opt-tiny"),
                data("tasks/sst2-synth/train.jsonl"),
                data("tasks/sst2-synth/dev.jsonl"),
                out);
    try {
      ObjectNode merged =
          ConfigYaml.merge(
              (ObjectNode) ConfigYaml.MAPPER.readTree(yaml),
              (ObjectNode) ConfigYaml.MAPPER.readTree(extra.isBlank() ? "{}" : extra));
      return GrzoTrainConfig.parse(ConfigYaml.MAPPER.writeValueAsString(merged), "fixture");
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static JavaSparkContext shared;

  /**
   * The {@code local[2]} context every test class of the module shares (a context takes ~15 s to
   * start on two cores); stopped when the test JVM exits.
   */
  public static synchronized JavaSparkContext shared() {
    if (shared == null) {
      shared = local(2);
      JavaSparkContext sc = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(sc::stop));
    }
    return shared;
  }

  /** A {@code local[n]} context that logs warnings only and binds to loopback. */
  static JavaSparkContext local(int n) {
    SparkConf conf =
        new SparkConf()
            .setMaster("local[" + n + "]")
            .setAppName("attune-test")
            .set("spark.ui.enabled", "false")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1")
            .set("spark.log.level", "WARN");
    return new JavaSparkContext(conf);
  }

  /** Every tensor of {@code dir/model.safetensors} as floats, by name. */
  static Map<String, float[]> weights(Path dir) {
    return SafetensorsCheckpoint.readFloats(dir);
  }

  /** The largest |a - b| over every tensor (the names must match). */
  static double maxAbsDiff(Map<String, float[]> a, Map<String, float[]> b) {
    assertThat(a.keySet()).isEqualTo(b.keySet());
    return Weights.maxAbsDiff(a, b);
  }

  /** How many tensors differ bitwise. */
  static long differing(Map<String, float[]> a, Map<String, float[]> b) {
    return Weights.differing(a, b);
  }
}
