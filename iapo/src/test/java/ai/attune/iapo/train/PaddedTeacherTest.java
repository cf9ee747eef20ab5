package ai.attune.iapo.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.config.Mappers;
import ai.attune.core.safetensors.HostTensor;
import ai.attune.core.safetensors.SafetensorsFile;
import ai.attune.core.safetensors.SafetensorsWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A teacher whose vocabulary is a padded superset of the student's (same tokenizer, more embedding
 * rows: Qwen2.5-VL-3B has 151936, 7B 152064) is accepted and trains: the tiny teacher with its tied
 * embedding padded from 512 to {@value #PADDED} rows. On the warm-started student ({@link
 * TinyRuns}: about 90 s once per JVM), so slow-tier.
 */
@Tag("slow")
class PaddedTeacherTest {
  static final int PADDED = 640;

  @TempDir Path tmp;

  @Test
  void aTeacherWithPaddedVocabularyTrains() throws Exception {
    Path teacher = padVocabulary(TinyRuns.teacher(), tmp.resolve("teacher"), PADDED);
    String settings =
        """
        teacher: {dir: %s}
        data: {eval: []}
        train: {steps: 2, prompts_per_step: 1, samples_per_eval: 0, checkpoint_every: 0}
        output: {plots: false, final_model: false}
        """
            .formatted(teacher);
    List<StepResult> steps = new ArrayList<>();
    try (IapoTrainer t = new IapoTrainer(TinyRuns.config(tmp.resolve("run"), settings))) {
      assertThat(t.models().teacher().info().vocabSize()).isEqualTo(PADDED);
      assertThat(t.models().student().info().vocabSize()).isEqualTo(512);
      t.onStep(steps::add);
      t.train(false);
    }
    assertThat(steps).hasSize(2);
    for (StepResult s : steps) {
      assertThat(s.metric("attributed_fraction")).isPositive();
      assertThat(s.metric("attribution_kl")).isFinite().isGreaterThanOrEqualTo(0);
      assertThat(s.metric("loss")).isFinite();
    }
  }

  /**
   * Copies the checkpoint in {@code from} to {@code to} with the token embedding (and the head,
   * when untied) padded with zero rows to {@code rows}, and {@code vocab_size} set to match.
   */
  static Path padVocabulary(Path from, Path to, int rows) throws Exception {
    Files.createDirectories(to);
    for (String f : List.of("tokenizer.json", "generation_config.json")) {
      Files.copy(from.resolve(f), to.resolve(f));
    }
    ObjectNode config = (ObjectNode) Mappers.json().readTree(from.resolve("config.json").toFile());
    ((ObjectNode) config.get("text_config")).put("vocab_size", rows);
    if (config.has("vocab_size")) {
      config.put("vocab_size", rows);
    }
    Mappers.json().writeValue(to.resolve("config.json").toFile(), config);
    List<HostTensor> tensors = new ArrayList<>();
    try (SafetensorsFile f = SafetensorsFile.open(from.resolve("model.safetensors"))) {
      for (String name : f.tensors().keySet()) {
        HostTensor t = f.read(name);
        boolean vocab = name.endsWith("embed_tokens.weight") || name.equals("lm_head.weight");
        tensors.add(vocab ? padRows(t, rows) : t);
      }
    }
    SafetensorsWriter.write(to.resolve("model.safetensors"), tensors, Map.of());
    return to;
  }

  private static HostTensor padRows(HostTensor t, int rows) {
    long[] shape = t.shape();
    float[] padded = java.util.Arrays.copyOf(t.toFloats(), Math.toIntExact(rows * shape[1]));
    return HostTensor.ofFloats(t.name(), new long[] {rows, shape[1]}, padded);
  }
}
