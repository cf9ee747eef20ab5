package ai.attune.grzo.train;

import ai.attune.grzo.tasks.EncodingOptions;
import ai.attune.grzo.tasks.Evaluator;
import ai.attune.grzo.tasks.MaskedLmEncoder;
import ai.attune.grzo.tasks.MaskedLmForm;
import ai.attune.grzo.tasks.MezoTask;
import ai.attune.grzo.tasks.PromptEncoder;
import ai.attune.grzo.tasks.TaskEncoder;
import ai.attune.grzo.tasks.TaskObjective;
import ai.attune.models.CausalLM;
import ai.attune.models.LanguageModel;
import ai.attune.models.text.TextTokenizer;

/**
 * The encoder and evaluator of a task for a model: MeZO's prompt-plus-option rows for a causal LM,
 * the LM-BFF masked slot for a masked LM (classification tasks only).
 *
 * @param encoder turns examples into token batches
 * @param evaluator accuracy or F1 and loss over a list of examples
 */
public record TaskSetup(TaskEncoder encoder, Evaluator evaluator) {
  /** Tokens a generation task may decode per answer during evaluation (MeZO: 50). */
  public static final int MAX_NEW_TOKENS = 50;

  /**
   * The setup of {@code task} for {@code model}.
   *
   * @param prependBos start every row with the model's BOS token (causal LMs)
   * @param maxLength the longest token row
   * @param batchSize examples per evaluation forward
   */
  public static TaskSetup of(
      LanguageModel model,
      TextTokenizer tokenizer,
      MezoTask task,
      boolean prependBos,
      int maxLength,
      int batchSize) {
    if (model instanceof CausalLM) {
      PromptEncoder encoder =
          new PromptEncoder(
              tokenizer, EncodingOptions.forModel(model.info(), prependBos, maxLength));
      return new TaskSetup(
          encoder,
          Evaluator.forCausalLm((CausalLM) model, tokenizer, encoder, batchSize, MAX_NEW_TOKENS));
    }
    if (task.objective() == TaskObjective.GENERATION) {
      throw new IllegalArgumentException(
          "task "
              + task.id()
              + " generates answers; a masked LM"
              + " ("
              + model.info().modelType()
              + ") cannot: use a causal LM");
    }
    TaskEncoder encoder =
        new MaskedLmEncoder(
            tokenizer, MaskedLmForm.roberta(tokenizer, model.info().padTokenId(), maxLength));
    return new TaskSetup(encoder, Evaluator.forChoices(model, encoder, batchSize));
  }
}
