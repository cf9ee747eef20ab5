package ai.attune.core.optim;

import java.util.Optional;

/**
 * Dynamic loss scaling for float16 training (Micikevicius et al. 2018, "Mixed Precision Training",
 * section 3.2; PyTorch's {@code GradScaler}): the loss is multiplied by a scale S before backward
 * so that small gradients do not flush to zero in float16; the optimizer divides the gradients by
 * S. When they hold an inf or NaN (an overflow) the step is skipped and S is multiplied by the
 * back-off factor; after {@code growthInterval} successful steps in a row S is multiplied by the
 * growth factor.
 *
 * <p>Lifecycle: one per run, beside the optimizer; per step: multiply the loss by {@link #scale()}
 * before backward, then {@link #step(AdamW)}. Not thread-safe.
 */
public final class DynamicLossScaler {
  private final double growthFactor;
  private final double backoffFactor;
  private final int growthInterval;
  private double scale;
  private int goodSteps;
  private long skipped;

  /**
   * A scaler starting at {@code initialScale} (PyTorch: 65536), growing by {@code growthFactor} (>
   * 1; PyTorch 2) after {@code growthInterval} (>= 1; PyTorch 2000) good steps and backing off by
   * {@code backoffFactor} (in (0, 1); PyTorch 0.5) on an overflow.
   */
  public DynamicLossScaler(
      double initialScale, double growthFactor, double backoffFactor, int growthInterval) {
    if (!(initialScale > 0) || Double.isInfinite(initialScale)) {
      throw new IllegalArgumentException(
          "initial loss scale must be finite and > 0, got " + initialScale);
    }
    if (!(growthFactor > 1) || Double.isInfinite(growthFactor)) {
      throw new IllegalArgumentException(
          "growth factor must be finite and > 1, got " + growthFactor);
    }
    if (!(backoffFactor > 0 && backoffFactor < 1)) {
      throw new IllegalArgumentException("back-off factor must be in (0, 1), got " + backoffFactor);
    }
    if (growthInterval < 1) {
      throw new IllegalArgumentException("growth interval must be >= 1, got " + growthInterval);
    }
    this.scale = initialScale;
    this.growthFactor = growthFactor;
    this.backoffFactor = backoffFactor;
    this.growthInterval = growthInterval;
  }

  /** PyTorch's {@code GradScaler} defaults: 2^16, ×2 every 2000 good steps, ×0.5 on overflow. */
  public static DynamicLossScaler pytorchDefaults() {
    return new DynamicLossScaler(65536.0, 2.0, 0.5, 2000);
  }

  /** The factor to multiply the loss by before backward. */
  public double scale() {
    return scale;
  }

  /** Steps skipped for an overflow so far. */
  public long skippedSteps() {
    return skipped;
  }

  /**
   * Steps {@code optimizer} on the scaled gradients it holds and updates the scale: empty (the step
   * skipped, nothing changed, the scale backed off) when they overflowed.
   */
  public Optional<AdamW.StepStats> step(AdamW optimizer) {
    Optional<AdamW.StepStats> out = optimizer.stepUnscaling(scale);
    if (out.isEmpty()) {
      scale *= backoffFactor;
      goodSteps = 0;
      skipped++;
    } else if (++goodSteps >= growthInterval) {
      scale *= growthFactor;
      goodSteps = 0;
    }
    return out;
  }
}
