package ai.attune.grzo.compare;

/**
 * What one run of a comparison reached.
 *
 * @param optimizer the optimizer's name
 * @param lr its learning rate
 * @param seed the run seed
 * @param startDevAccuracy dev accuracy before training
 * @param lossTargetStep the first step whose training-loss average was at or below the target, or
 *     -1 if none was within the budget
 * @param accuracyTargetStep the first evaluated step whose dev accuracy was at or above the target,
 *     or -1
 * @param finalLossAverage the training-loss average at the last step
 * @param finalDevAccuracy the dev accuracy at the last step
 * @param bestDevAccuracy the best dev accuracy of any evaluation
 */
public record RunOutcome(
    String optimizer,
    double lr,
    long seed,
    double startDevAccuracy,
    long lossTargetStep,
    long accuracyTargetStep,
    double finalLossAverage,
    double finalDevAccuracy,
    double bestDevAccuracy) {}
