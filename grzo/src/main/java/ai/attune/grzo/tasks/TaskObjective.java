package ai.attune.grzo.tasks;

/** How a task's examples are trained and evaluated (the MeZO protocol, GRZO spec section 4). */
public enum TaskObjective {
  /**
   * Classification over verbalised options (SST-2, RTE, CB, BoolQ, WiC, WSC, MultiRC): every option
   * is scored by the mean log-probability of its tokens after the prompt; the loss is the
   * cross-entropy over the options; accuracy by the argmax of the scores.
   */
  CLASSIFICATION,
  /**
   * Multiple choice trained as language modelling (COPA): the loss is the token-mean LM loss of the
   * correct option only; accuracy by the argmax of the length-normalised option scores.
   */
  CHOICE_LANGUAGE_MODEL,
  /**
   * Generation (SQuAD, DROP): the loss is the token-mean LM loss of the first gold answer;
   * evaluation by greedy decoding and token F1 (max over the gold answers).
   */
  GENERATION;

  /** The name of the metric evaluation reports: {@code accuracy} or {@code f1}. */
  public String metric() {
    return this == GENERATION ? "f1" : "accuracy";
  }
}
