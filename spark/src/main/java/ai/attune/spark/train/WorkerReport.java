package ai.attune.spark.train;

import java.io.Serializable;

/**
 * What one worker of a data-parallel run reports to the driver when its task ends.
 *
 * @param rank the worker's rank
 * @param stageAttempt the attempt of the barrier stage that finished (0 unless a task failed)
 * @param checksum the CRC-32C of its weights at the last comparison
 * @param steps the steps this attempt ran
 * @param stepMillis the time its steps took (forward passes, exchange rounds and updates)
 * @param exchangeMillis the part of it spent in exchange rounds
 */
public record WorkerReport(
    int rank, int stageAttempt, long checksum, long steps, double stepMillis, double exchangeMillis)
    implements Serializable {}
