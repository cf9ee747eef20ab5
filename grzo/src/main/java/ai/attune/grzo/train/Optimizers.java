package ai.attune.grzo.train;

import ai.attune.grzo.optim.GrzoOptimizer;
import ai.attune.grzo.optim.MezoOptimizer;
import ai.attune.grzo.optim.ZerothOrderOptimizer;
import ai.attune.models.LanguageModel;

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
        return new GrzoOptimizer(model.parameters(), settings.grzo());
      default:
        throw new IllegalArgumentException("no optimizer " + settings.name());
    }
  }
}
