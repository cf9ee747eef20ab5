package ai.attune.spark.eval;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import java.io.Serializable;

/**
 * What {@code grzo eval} evaluates, as every partition needs it (paths must be visible to the
 * executors under the same names).
 *
 * @param model the HF checkpoint folder
 * @param task the task name ({@code sst2}, ...)
 * @param data the task's JSONL file
 * @param maxExamples evaluate a seeded sample of this many (0: all)
 * @param seed the sample's seed
 * @param maxLength the longest token row
 * @param bos start rows with the BOS token
 * @param batchSize examples per forward
 * @param device the device policy
 * @param dtype the compute dtype
 */
public record EvalSpec(
    String model,
    String task,
    String data,
    int maxExamples,
    long seed,
    int maxLength,
    boolean bos,
    int batchSize,
    DevicePolicy device,
    ComputeDtype dtype)
    implements Serializable {

  public EvalSpec {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
  }
}
