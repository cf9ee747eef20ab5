package ai.attune.examples;

import ai.attune.core.safetensors.HostTensor;
import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.attune.models.CausalLM;
import ai.attune.models.InvalidInputException;
import ai.attune.models.LanguageModel;
import ai.attune.models.TokenInputs;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;

/**
 * A batch read from a safetensors inputs file: {@code input_ids} (int64 [B, T]), {@code
 * attention_mask} (all ones when absent) and, for a vision-language model, {@code pixel_values}
 * (float32 [patches, 3*2*14*14]) with {@code image_grid_thw} (int64 [images, 3]) as HF's Qwen2-VL
 * processor writes them.
 */
record InputBatch(
    Path file, NDArray inputIds, NDArray attentionMask, NDArray pixelValues, long[][] gridThw) {

  static InputBatch read(Path file, NDManager manager) {
    try (SafetensorsCheckpoint in = SafetensorsCheckpoint.open(file)) {
      if (!in.contains("input_ids")) {
        throw new InvalidInputException(
            file + ": no input_ids tensor (it holds " + in.names() + ")");
      }
      HostTensor idsHost = in.read("input_ids");
      if (idsHost.dtype().isFloating()) {
        throw new InvalidInputException(
            file
                + ": input_ids is stored as "
                + idsHost.dtype()
                + "; token ids must be an integer tensor (I64: torch.long, numpy.int64), since a"
                + " float id would be truncated");
      }
      NDArray ids = idsHost.toNDArray(manager, DataType.FLOAT32);
      if (ids.getShape().dimension() != 2) {
        throw new InvalidInputException(file + ": input_ids must be [B, T], got " + ids.getShape());
      }
      ids = ids.toType(DataType.INT64, false);
      NDArray mask =
          in.contains("attention_mask")
              ? mask(file, in.read("attention_mask"), manager)
              : manager.ones(ids.getShape(), DataType.INT64);
      if (!mask.getShape().equals(ids.getShape())) {
        throw new IllegalArgumentException(
            file
                + ": attention_mask shape "
                + mask.getShape()
                + " differs from input_ids shape "
                + ids.getShape());
      }
      if (in.contains("pixel_values") != in.contains("image_grid_thw")) {
        throw new IllegalArgumentException(
            file + ": pixel_values and image_grid_thw must be given together");
      }
      if (!in.contains("pixel_values")) {
        return new InputBatch(file, ids, mask, null, null);
      }
      NDArray pixels = in.read("pixel_values").toNDArray(manager, DataType.FLOAT32);
      return new InputBatch(
          file,
          ids,
          mask,
          pixels,
          grid(file, in.read("image_grid_thw").toLongs(), in.info("image_grid_thw").shape()));
    }
  }

  /** The mask as int64, refusing values other than 0 and 1 (a float 0.5 would truncate). */
  private static NDArray mask(Path file, HostTensor mask, NDManager manager) {
    if (mask.dtype().isFloating()) {
      float[] values = mask.toFloats();
      for (int i = 0; i < values.length; i++) {
        if (values[i] != 0f && values[i] != 1f) {
          throw new InvalidInputException(
              file
                  + ": attention_mask holds "
                  + values[i]
                  + " at flat index "
                  + i
                  + "; the mask holds only 0 (padding) and 1 (token)");
        }
      }
    }
    return mask.toNDArray(manager, DataType.FLOAT32).toType(DataType.INT64, false);
  }

  /**
   * Checks the ids and mask against {@code model} ({@link TokenInputs}), for generating {@code
   * maxNewTokens} tokens when that is positive; the message starts with the file.
   */
  void check(LanguageModel model, int maxNewTokens) {
    try {
      if (maxNewTokens > 0) {
        TokenInputs.checkGeneration(model, inputIds, attentionMask, maxNewTokens);
      } else {
        TokenInputs.check(model, inputIds, attentionMask);
      }
    } catch (InvalidInputException e) {
      throw new InvalidInputException(
          file
              + ": "
              + e.getMessage()
              + (maxNewTokens > 0 && e.getMessage().contains("new tokens")
                  ? " (--max-new-tokens)"
                  : ""));
    }
  }

  private static long[][] grid(Path file, long[] values, long[] shape) {
    if (shape.length != 2 || shape[1] != 3) {
      throw new IllegalArgumentException(
          file + ": image_grid_thw must be [images, 3], got " + java.util.Arrays.toString(shape));
    }
    long[][] grid = new long[(int) shape[0]][3];
    for (int i = 0; i < grid.length; i++) {
      System.arraycopy(values, 3 * i, grid[i], 0, 3);
    }
    return grid;
  }

  boolean hasImages() {
    return pixelValues != null;
  }

  /**
   * The model to run this batch through: the model itself, or, when the batch carries images, a
   * vision-language model bound to them.
   */
  CausalLM bind(LanguageModel model) {
    if (!hasImages()) {
      if (!(model instanceof CausalLM causal)) {
        throw new IllegalArgumentException(
            "model " + model.info().modelType() + " is not a causal LM");
      }
      return causal;
    }
    if (!(model instanceof Qwen25VlForConditionalGeneration vl)) {
      throw new IllegalArgumentException(
          file
              + " has pixel_values but model "
              + model.info().modelType()
              + " takes no images (use a qwen2_5_vl checkpoint)");
    }
    return vl.withImages(inputIds, attentionMask, pixelValues, gridThw);
  }
}
