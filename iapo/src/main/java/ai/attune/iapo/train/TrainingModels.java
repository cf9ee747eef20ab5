package ai.attune.iapo.train;

import ai.attune.core.noise.SeededNoise;
import ai.attune.core.params.Parameter;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.adapters.Lora;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.attune.models.qwen2vl.Qwen2VlImageProcessor;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The models of a run: the student (with LoRA adapters, or with its trainable parameters chosen for
 * full fine-tuning), the frozen teacher and reference when configured, and the student's tokenizer
 * and image processor.
 *
 * <p>Trainable parameters: with {@code student.lora} the adapters only ({@link Lora#apply} freezes
 * the rest); otherwise every parameter, except the vision tower's ({@code visual.*}) unless {@code
 * student.train_vision}. Teacher and reference parameters are all frozen.
 *
 * <p>Lifecycle: {@link #load} under the caller's manager; {@link #close()} frees the models and the
 * tokenizer (the manager stays the caller's).
 */
public final class TrainingModels implements AutoCloseable {
  static final long LORA_INIT = 0x4c4f5241L;

  private final Qwen25VlForConditionalGeneration student;
  private final Qwen25VlForConditionalGeneration teacher;
  private final Qwen25VlForConditionalGeneration reference;
  private final Lora lora;
  private final TextTokenizer tokenizer;
  private final Qwen2VlImageProcessor processor;

  private TrainingModels(
      Qwen25VlForConditionalGeneration student,
      Qwen25VlForConditionalGeneration teacher,
      Qwen25VlForConditionalGeneration reference,
      Lora lora,
      TextTokenizer tokenizer,
      Qwen2VlImageProcessor processor) {
    this.student = student;
    this.teacher = teacher;
    this.reference = reference;
    this.lora = lora;
    this.tokenizer = tokenizer;
    this.processor = processor;
  }

  /** Loads what {@code config} names, on the device of {@code root}. */
  public static TrainingModels load(IapoTrainConfig config, NDManager root) {
    StudentSection s = config.student();
    Qwen25VlForConditionalGeneration student =
        vl("student", Path.of(s.dir()), s.computeDtype(), root);
    Lora lora = null;
    if (s.lora() != null) {
      lora =
          Lora.apply(
              student.parameters(),
              s.lora().withInitSeed(SeededNoise.derive(config.train().seed(), LORA_INIT)));
    } else {
      for (Parameter p : student.parameters().parameters().values()) {
        p.setTrainable(s.trainVision() || !p.name().startsWith("visual."));
      }
    }
    Qwen25VlForConditionalGeneration teacher =
        config.teacher() == null
            ? null
            : frozen(
                vl(
                    "teacher",
                    Path.of(config.teacher().dir()),
                    config.teacher().computeDtype(),
                    root));
    Qwen25VlForConditionalGeneration reference =
        config.reference() == null
            ? null
            : frozen(
                vl(
                    "reference",
                    Path.of(config.reference().dir()),
                    config.reference().computeDtype(),
                    root));
    return new TrainingModels(
        student,
        teacher,
        reference,
        lora,
        TextTokenizer.load(Path.of(s.dir())),
        Qwen2VlImageProcessor.load(Path.of(s.dir())));
  }

  private static Qwen25VlForConditionalGeneration vl(
      String section, Path dir, ai.attune.core.device.ComputeDtype dtype, NDManager root) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(section + ".dir: no checkpoint folder at " + dir);
    }
    CausalLM lm = Models.load(dir, dtype, root);
    if (!(lm instanceof Qwen25VlForConditionalGeneration vl)) {
      String type = lm.info().modelType();
      lm.close();
      throw new IllegalArgumentException(
          section
              + ".dir: "
              + dir
              + " holds a "
              + type
              + " model; IAPO trains Qwen2.5-VL (model_type qwen2_5_vl)");
    }
    return vl;
  }

  private static Qwen25VlForConditionalGeneration frozen(Qwen25VlForConditionalGeneration m) {
    for (Parameter p : m.parameters().parameters().values()) {
      p.setTrainable(false);
    }
    return m;
  }

  public Qwen25VlForConditionalGeneration student() {
    return student;
  }

  /** The teacher, or null. */
  public Qwen25VlForConditionalGeneration teacher() {
    return teacher;
  }

  /** The reference of the KL term, or null. */
  public Qwen25VlForConditionalGeneration reference() {
    return reference;
  }

  /** The adapters, or null for full fine-tuning. */
  public Lora lora() {
    return lora;
  }

  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  public Qwen2VlImageProcessor processor() {
    return processor;
  }

  /** The student's trainable parameters, in declaration order. */
  public List<Parameter> trainable() {
    return student.parameters().parameters().values().stream()
        .filter(Parameter::trainable)
        .toList();
  }

  @Override
  public void close() {
    tokenizer.close();
    for (CausalLM m : new CausalLM[] {reference, teacher, student}) {
      if (m != null) {
        m.close();
      }
    }
  }
}
