/**
 * The public Java API of GRZO/MeZO fine-tuning: {@link ai.attune.grzo.api.ZerothOrderTraining} (a
 * builder in DJL's style, {@code setX} for required and {@code optX} for optional settings, and an
 * {@link java.lang.AutoCloseable} run that owns the model), the user's data as {@link
 * ai.attune.grzo.api.ExampleEncoder} and {@link ai.attune.grzo.api.ExampleLoss} over any example
 * type, and {@link ai.attune.grzo.api.TrainingListener}s. See {@code docs/api.md}.
 *
 * <p>Why a package in the {@code grzo} module (and {@code ai.attune.iapo.api} in {@code iapo})
 * rather than one {@code ai.attune.api} over both: a user of one method takes one dependency, and
 * each facade sits beside the trainer it drives ({@code ai.attune.grzo.train.GrzoTrainer}), which
 * it configures in code instead of YAML and extends through the trainer's {@code TrainingData} seam
 * rather than a copy of its loop; resume, replay and the run files are the trainer's own.
 */
package ai.attune.grzo.api;
