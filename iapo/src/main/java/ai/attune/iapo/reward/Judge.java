package ai.attune.iapo.reward;

/**
 * Decides whether an answer is correct. Back it with anything: a rule ({@link #exactMatch()},
 * {@link #relaxed}) or a judge model prompted with the three strings (as ReFocus grades with
 * GPT-4o). Called once per rollout that gave an answer, from the training thread.
 */
@FunctionalInterface
public interface Judge {

  /**
   * Scores one answer.
   *
   * @return a score in [0, 1] (1 = correct), or NaN when the answer cannot be judged
   */
  double judge(String question, String answer, String gold);

  /** 1 when the normalised answer equals the normalised gold ({@link AnswerMatch#exact}). */
  static Judge exactMatch() {
    return (question, answer, gold) -> AnswerMatch.exact(answer, gold) ? 1 : 0;
  }

  /** ChartQA's relaxed accuracy ({@link AnswerMatch#relaxed}) with this relative tolerance. */
  static Judge relaxed(double relativeTolerance) {
    if (!(relativeTolerance >= 0 && relativeTolerance < 1)) {
      throw new IllegalArgumentException(
          "relative tolerance must be in [0, 1), got " + relativeTolerance);
    }
    return (question, answer, gold) -> AnswerMatch.relaxed(answer, gold, relativeTolerance) ? 1 : 0;
  }
}
