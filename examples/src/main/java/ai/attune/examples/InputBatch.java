package ai.attune.examples;

import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;

/** {@code input_ids} and {@code attention_mask} (all ones when absent) read from safetensors. */
record InputBatch(NDArray inputIds, NDArray attentionMask) {

  static InputBatch read(Path file, NDManager manager) {
    try (SafetensorsCheckpoint in = SafetensorsCheckpoint.open(file)) {
      NDArray ids = in.read("input_ids").toNDArray(manager, DataType.FLOAT32);
      if (ids.getShape().dimension() != 2) {
        throw new IllegalArgumentException(
            file + ": input_ids must be [B, T], got " + ids.getShape());
      }
      ids = ids.toType(DataType.INT64, false);
      NDArray mask = in.contains("attention_mask")
          ? in.read("attention_mask").toNDArray(manager, DataType.FLOAT32)
              .toType(DataType.INT64, false)
          : manager.ones(ids.getShape(), DataType.INT64);
      if (!mask.getShape().equals(ids.getShape())) {
        throw new IllegalArgumentException(file + ": attention_mask shape " + mask.getShape()
            + " differs from input_ids shape " + ids.getShape());
      }
      return new InputBatch(ids, mask);
    }
  }
}
