/**
 * The public Java API of IAPO: {@link ai.attune.iapo.api.IapoTraining} (a builder in DJL's style,
 * {@code setX} for required and {@code optX} for optional settings, and an {@link
 * java.lang.AutoCloseable} run that owns the models), tools of the user's as {@link
 * ai.attune.iapo.api.JavaTool} over a {@link ai.attune.iapo.api.ToolFunction}, and reward functions
 * as lambdas over {@code RolloutView}. See {@code docs/api.md}.
 *
 * <p>A package of the {@code iapo} module, beside the trainer it drives ({@code
 * ai.attune.iapo.train.IapoTrainer}), as {@code ai.attune.grzo.api} is in {@code grzo}: a user of
 * one method takes one dependency. The facade builds the trainer's config in code and hands it the
 * user's tools and rewards through {@code IapoTrainer.Components}; the training loop, resume and
 * the run files are the trainer's own.
 */
package ai.attune.iapo.api;
