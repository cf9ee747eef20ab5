package ai.attune.iapo.attribution;

import ai.attune.core.params.Parameter;
import ai.attune.models.CausalLM;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Objects;

/**
 * IAPO's alignment penalty (iapo.md §2 steps 3–5): the student's and a frozen teacher's block
 * attribution of the same rollout, teacher-forced on the student's tokens, and the divergence
 * between them, D_i, which shapes the reward as r_i = r_out − λ D_i.
 *
 * <p>Lifecycle: built over two models the caller loaded and keeps (closing this object closes
 * neither), then {@link #align} once per rollout. The teacher is only run forward and backward with
 * respect to its input embeddings: its parameters must not require gradients, which is checked when
 * this object is built and after every alignment. The two models must share the tokenizer ({@link
 * SharedVocabulary}). With images, each model binds its own image view from the same pixel values
 * (both must use the same image processor settings).
 *
 * <p>Not thread-safe: DJL's gradient collector is process-global, so one alignment (or any other
 * attribution or training backward) runs at a time in a process. An alignment's backward passes
 * zero and then fill the gradients of any student parameter that requires one, so align rollouts
 * before the policy-gradient backward of a step.
 */
public final class TeacherAlignment {
  private final CausalLM student;
  private final CausalLM teacher;
  private final AlignmentConfig config;
  private final BlockAttribution attribution;

  /** Alignment between models of equal vocabulary size (no tokenizer files to compare). */
  public TeacherAlignment(CausalLM student, CausalLM teacher, AlignmentConfig config) {
    this(student, teacher, config, null, null);
  }

  /**
   * Alignment between models whose {@code tokenizer.json} files (or checkpoint folders holding
   * them) are compared: equal vocabularies, model vocabulary sizes that may differ by padding. With
   * both paths null the vocabulary sizes must be equal.
   */
  public TeacherAlignment(
      CausalLM student,
      CausalLM teacher,
      AlignmentConfig config,
      Path studentTokenizer,
      Path teacherTokenizer) {
    this.student = Objects.requireNonNull(student, "student");
    this.teacher = Objects.requireNonNull(teacher, "teacher");
    this.config = Objects.requireNonNull(config, "config");
    if ((studentTokenizer == null) != (teacherTokenizer == null)) {
      throw new IllegalArgumentException("pass both tokenizer files or neither");
    }
    if (studentTokenizer == null) {
      SharedVocabulary.requireShared(student, teacher);
    } else {
      SharedVocabulary.requireShared(student, studentTokenizer, teacher, teacherTokenizer);
    }
    requireFrozenTeacher();
    this.attribution = new BlockAttribution(config.attribution());
  }

  public AlignmentConfig config() {
    return config;
  }

  /**
   * Both attributions of {@code rollout} and their divergence. Each attribution runs in its own
   * sub-manager of {@code parent}; nothing is left in it afterwards.
   */
  public AlignmentResult align(AttributionInput rollout, NDManager parent) {
    AttributionResult s = attribution.attribute(student, rollout, parent);
    AttributionResult t = attribution.attribute(teacher, rollout, parent);
    requireFrozenTeacher();
    double d = config.divergence().between(t.distribution(), s.distribution(), config.epsilon());
    return new AlignmentResult(s, t, d);
  }

  /**
   * The shaped reward r_out − λ·D.
   *
   * @param lambda the alignment weight λ (>= 0; the spec starts at 1.0)
   * @param divergence D (>= 0)
   */
  public static double shapedReward(double rOut, double lambda, double divergence) {
    if (!(lambda >= 0) || !Double.isFinite(lambda)) {
      throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
    }
    if (!(divergence >= 0)) {
      throw new IllegalArgumentException("divergence must be >= 0, got " + divergence);
    }
    return lambda == 0 ? rOut : rOut - lambda * divergence;
  }

  private void requireFrozenTeacher() {
    for (Parameter p : teacher.parameters().parameters().values()) {
      if (p.isLoaded() && p.value().hasGradient()) {
        throw new IllegalStateException(
            "teacher parameter "
                + p.name()
                + " requires a gradient;"
                + " the teacher must stay frozen (is it the student being trained?)");
      }
    }
  }
}
