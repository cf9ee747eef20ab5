/**
 * What a layer can carry besides its plain forward: GRZO's per-example perturbations ({@code
 * PerExamplePerturbation}, {@code LinearNoise}) and LoRA ({@code Lora}, {@code LoraConfig}).
 */
package ai.attune.models.adapters;
