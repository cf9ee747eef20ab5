package ai.attune.grzo.train;

import ai.attune.grzo.optim.GrzoOptimizer;
import ai.attune.grzo.optim.MezoOptimizer;
import ai.attune.grzo.optim.ZerothOrderOptimizer;
import ai.attune.models.LanguageModel;
import ai.attune.models.adapters.Perturbable;
import ai.attune.models.layers.Embedding;

/** Builds the optimizer an {@link OptimizerSection} names over a model's parameters. */
public final class Optimizers {
  private Optimizers() {}

  /**
   * The optimizer of {@code settings} over {@code model}'s trainable parameters; training and
   * {@code grzo replay} both build it here, so they perturb and update the same parameters in the
   * same order.
   */
  public static ZerothOrderOptimizer build(OptimizerSection settings, LanguageModel model) {
    switch (settings.name()) {
      case MEZO:
        return new MezoOptimizer(model.parameters(), settings.mezo());
      case GRZO:
        GrzoOptimizer grzo = new GrzoOptimizer(model.parameters(), settings.grzo());
        requireTokenEmbeddings(grzo, model);
        return grzo;
      default:
        throw new IllegalArgumentException("no optimizer " + settings.name());
    }
  }

  /**
   * GRZO keys the row updates of a perturbed embedding table on the batch's token ids, which is
   * right only for token embeddings: a learned position (or token type) table is indexed by
   * something else, and updating it by token id would move the wrong rows. Such a table is refused
   * here rather than trained wrongly.
   */
  private static void requireTokenEmbeddings(GrzoOptimizer grzo, LanguageModel model) {
    int vocab = model.info().vocabSize();
    for (Perturbable layer : grzo.layers()) {
      if (layer instanceof Embedding) {
        long rows = ((Embedding) layer).weight().shape().get(0);
        if (rows != vocab) {
          throw new IllegalArgumentException("optimizer.kinds: embedding would perturb "
              + layer.name() + " (" + rows + " rows, not the vocabulary's " + vocab + "), which"
              + " is not indexed by token ids; GRZO's row updates are keyed on token ids, so"
              + " leave embedding out of kinds for this model");
        }
      }
    }
  }
}
