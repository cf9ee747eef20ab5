package ai.attune.iapo.rollout;

/** Why a rollout stopped. */
public enum RolloutEnd {
  /** Its last turn called no tool and gave {@code FINAL ANSWER: ...}. */
  FINAL_ANSWER,
  /** Its last turn called no tool and gave no final answer. */
  NO_TOOL_CALL,
  /**
   * It was still calling tools at the last allowed turn (those calls ran, their results were not
   * fed back).
   */
  TURN_LIMIT,
  /**
   * It generated a vision placeholder ({@code <|image_pad|>} or {@code <|video_pad|>}), which would
   * stand for an image that does not exist; the token is its last.
   */
  INVALID_TOKEN
}
