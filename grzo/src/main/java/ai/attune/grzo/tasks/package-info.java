/**
 * The MeZO task suite: dataset loaders, prompt templates, classification over verbalised options
 * and generation losses, evaluation (accuracy, token F1) and synthetic sets.
 */
package ai.attune.grzo.tasks;
