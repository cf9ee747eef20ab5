package ai.attune.models.qwen2vl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * One image as the Qwen2-VL vision tower takes it: HF's {@code pixel_values} and {@code
 * image_grid_thw} for that image.
 *
 * <p>Row {@code r} of {@code pixelValues} is one patch, in the order HF flattens them (merge blocks
 * row-major, the {@code merge × merge} patches of a block row-major inside it); its values are
 * ordered channel, frame, row, column. The arrays are owned by this record: do not modify them.
 * Equality is by identity of the arrays.
 *
 * @param pixelValues float32 values, {@code shape[0] * shape[1]} of them
 * @param shape {@code [gridT * gridH * gridW, 3 * temporalPatchSize * patchSize²]}
 * @param gridThw {@code [gridT, gridH, gridW]}: patches along time, height and width
 * @param mergeSize patches merged per side into one LLM token
 */
public record ProcessedImage(float[] pixelValues, long[] shape, long[] gridThw, int mergeSize) {

  public ProcessedImage {
    if (shape.length != 2 || gridThw.length != 3 || mergeSize <= 0) {
      throw new IllegalArgumentException("need a 2-d shape, a 3-value grid and mergeSize > 0");
    }
    if (shape[0] * shape[1] != pixelValues.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " does not hold " + pixelValues.length + " values");
    }
    if (gridThw[0] * gridThw[1] * gridThw[2] != shape[0]) {
      throw new IllegalArgumentException(
          "grid " + Arrays.toString(gridThw) + " does not give " + shape[0] + " patches");
    }
    if (gridThw[1] % mergeSize != 0 || gridThw[2] % mergeSize != 0) {
      throw new IllegalArgumentException(
          "grid " + Arrays.toString(gridThw) + " is not a multiple of mergeSize " + mergeSize);
    }
  }

  /** Number of {@code <|image_pad|>} tokens the image takes in the prompt: t·h·w / merge². */
  public int numImageTokens() {
    return Math.toIntExact(gridThw[0] * gridThw[1] * gridThw[2] / ((long) mergeSize * mergeSize));
  }

  /** {@code pixel_values} as a float32 array of {@link #shape()} owned by {@code manager}. */
  public NDArray toNDArray(NDManager manager) {
    return manager.create(pixelValues, new Shape(shape));
  }

  /** {@code image_grid_thw} of this image: int64 {@code [1, 3]}, owned by {@code manager}. */
  public NDArray gridThwNDArray(NDManager manager) {
    return manager.create(gridThw, new Shape(1, 3));
  }
}
