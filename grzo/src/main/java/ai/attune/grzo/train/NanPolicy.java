package ai.attune.grzo.train;

/** What a run does when a step meets a non-finite loss ({@code train.nan_policy}). */
public enum NanPolicy {
  /**
   * End the run with an error naming the step; the weights stay as they were before it and no
   * checkpoint is written after it, so the last checkpoint on disk is the last good state.
   */
  STOP,
  /** Leave the weights untouched for that step, log it as skipped and go on. */
  SKIP
}
