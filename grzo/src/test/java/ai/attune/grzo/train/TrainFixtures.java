package ai.attune.grzo.train;

import ai.attune.core.config.ConfigYaml;
import ai.attune.testsupport.FixturePaths;
import java.nio.file.Path;

/** Configs over the bundled tiny OPT and the synthetic SST-2 set, for trainer tests. */
final class TrainFixtures {
  private TrainFixtures() {}

  static Path data(String name) {
    return FixturePaths.of(name);
  }

  /**
   * A config for opt-tiny on sst2-synth writing to {@code out}; {@code extra} is YAML laid over it
   * (sections merge key by key).
   */
  static GrzoTrainConfig config(Path out, String extra) {
    String yaml =
        """
        model:
          dir: %s
          device: cpu
        task:
          name: sst2
          train: %s
          dev: %s
          test: %s
          train_examples: 0
          dev_examples: 0
          test_examples: 0
          max_length: 32
        optimizer:
          lr: 0.05
          sigma: 0.01
        train:
          steps: 20
          batch_size: 16
          eval_every: 0
          checkpoint_every: 0
          log_every: 1000
        output:
          dir: %s
          plot: false
        """
            .formatted(
                data("opt-tiny"),
                data("tasks/sst2-synth/train.jsonl"),
                data("tasks/sst2-synth/dev.jsonl"),
                data("tasks/sst2-synth/test.jsonl"),
                out);
    GrzoTrainConfig base = GrzoTrainConfig.parse(yaml, "fixture");
    if (extra.isBlank()) {
      return base;
    }
    return GrzoTrainConfig.parse(merge(base.toYaml(), extra), "fixture");
  }

  private static String merge(String base, String extra) {
    try {
      var mapper = ConfigYaml.MAPPER;
      var merged =
          ai.attune.core.config.ConfigYaml.merge(
              (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(base),
              (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(extra));
      return mapper.writeValueAsString(merged);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
