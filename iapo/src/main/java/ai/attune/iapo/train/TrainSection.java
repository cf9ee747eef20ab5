package ai.attune.iapo.train;

import static ai.attune.core.config.InvalidSettingException.nonNegative;
import static ai.attune.core.config.InvalidSettingException.positive;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code train}: the loop.
 *
 * @param steps IAPO steps (one batch of rollouts and its updates each); default 100
 * @param promptsPerStep questions per step; each gets {@code rollout.group_size} rollouts; default
 *     2
 * @param seed the root seed: rollout sampling, LoRA initialisation and the warm start's order
 *     derive from it (the question order from {@code data.shuffle_seed}); default 42
 * @param evalEvery evaluate on {@code data.eval} every this many steps (and after the last); 0
 *     (default) = only after the last step, and not at all without evaluation sets
 * @param checkpointEvery write a checkpoint every this many steps; the last step always writes one;
 *     0 (default) = only the last
 * @param keepCheckpoints how many of the newest checkpoints to keep; default 2
 * @param samplesPerEval rollouts written for people to read at each evaluation (or, without
 *     evaluation sets, of the training batch at each checkpoint); 0 = none; default 4
 * @param warmStart supervised warm start before the first step; absent (default) = none
 * @param gpuMemoryGb the GPU memory a step may use, in GB (10^9 bytes); the trainer refuses a
 *     config whose memory plan ({@code iapo plan}) exceeds it; 0 (default) = the total memory of
 *     the GPU the run uses, and no check on the CPU
 * @param recomputeActivations recompute the decoder layer by layer in the backward passes of the
 *     policy update and of the attributions instead of keeping every layer's activations (one more
 *     forward pass; the activation memory of one layer plus every layer's input); default false
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainSection(
    int steps,
    int promptsPerStep,
    long seed,
    int evalEvery,
    int checkpointEvery,
    int keepCheckpoints,
    int samplesPerEval,
    WarmStartSection warmStart,
    double gpuMemoryGb,
    boolean recomputeActivations) {
  public TrainSection {
    positive(steps, "train.steps");
    positive(promptsPerStep, "train.prompts_per_step");
    nonNegative(evalEvery, "train.eval_every");
    nonNegative(checkpointEvery, "train.checkpoint_every");
    positive(keepCheckpoints, "train.keep_checkpoints");
    nonNegative(samplesPerEval, "train.samples_per_eval");
    nonNegative(gpuMemoryGb, "train.gpu_memory_gb");
  }

  TrainSection withSteps(int n) {
    return new TrainSection(
        n,
        promptsPerStep,
        seed,
        evalEvery,
        checkpointEvery,
        keepCheckpoints,
        samplesPerEval,
        warmStart,
        gpuMemoryGb,
        recomputeActivations);
  }
}
