package ai.attune.iapo.attribution;

import ai.attune.models.qwen2vl.chat.BlockKind;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * How far the student's block distribution is from the teacher's (iapo.md §3, step 4), in nats.
 *
 * <p>Both distributions are taken over the union U of their blocks, a block absent from one
 * counting 0 there, then smoothed: p_b ← (p_b + ε) / (1 + |U| ε), so that KL stays finite when a
 * block is missing on one side. ε = 0 disables smoothing (a KL can then be infinite). Computed in
 * double; identical distributions give exactly 0.
 */
public enum Divergence {
  /** KL(teacher ‖ student) = Σ_b t_b ln(t_b / s_b) (default): mass-covering for the student. */
  KL_TEACHER_STUDENT,
  /** KL(student ‖ teacher) = Σ_b s_b ln(s_b / t_b): the reverse, mode-seeking direction. */
  KL_STUDENT_TEACHER,
  /** JS = ½ KL(t ‖ m) + ½ KL(s ‖ m) with m = (t + s) / 2: symmetric, at most ln 2. */
  JENSEN_SHANNON;

  /** The default smoothing ε. */
  public static final double DEFAULT_EPSILON = 1e-6;

  /** The divergence with the default smoothing ε = 1e-6. */
  public double between(BlockDistribution teacher, BlockDistribution student) {
    return between(teacher, student, DEFAULT_EPSILON);
  }

  /** The divergence between the teacher's and the student's distributions, smoothed by ε. */
  public double between(BlockDistribution teacher, BlockDistribution student, double epsilon) {
    if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
      throw new IllegalArgumentException(
          "smoothing epsilon must be finite and >= 0, got " + epsilon);
    }
    Set<BlockKind> union = EnumSet.copyOf(teacher.kinds());
    union.addAll(student.kinds());
    double[] t = smoothed(teacher, union, epsilon);
    double[] s = smoothed(student, union, epsilon);
    switch (this) {
      case KL_TEACHER_STUDENT:
        return kl(t, s);
      case KL_STUDENT_TEACHER:
        return kl(s, t);
      default:
        double[] m = new double[t.length];
        for (int i = 0; i < m.length; i++) {
          m[i] = (t[i] + s[i]) / 2;
        }
        return 0.5 * kl(t, m) + 0.5 * kl(s, m);
    }
  }

  /** Σ p_i ln(p_i / q_i), terms with p_i = 0 counting 0, at least 0 (rounding aside). */
  static double kl(double[] p, double[] q) {
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      if (p[i] > 0) {
        sum += p[i] * Math.log(p[i] / q[i]);
      }
    }
    return Math.max(0, sum);
  }

  private static double[] smoothed(BlockDistribution d, Set<BlockKind> union, double epsilon) {
    double[] out = new double[union.size()];
    double norm = 1 + union.size() * epsilon;
    int i = 0;
    for (BlockKind k : union) {
      out[i++] = (d.get(k) + epsilon) / norm;
    }
    return out;
  }

  /** Parses {@code kl_teacher_student|kl_student_teacher|jensen_shannon}. */
  public static Divergence parse(String text) {
    return Enums.parse(Divergence.class, "divergence", text);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
