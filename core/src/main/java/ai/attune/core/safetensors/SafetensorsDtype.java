package ai.attune.core.safetensors;

import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The element types a safetensors header may name, with their width and the DJL type that holds
 * them.
 *
 * <p>Two types have no safe DJL counterpart. {@code BF16}: the PyTorch engine aborts the JVM on any
 * bfloat16 NDArray, so {@link #djlType()} refuses it and {@link HostTensor#toNDArray} widens it to
 * float32 in Java first. {@code I16}: the engine does not map int16, so it is widened to INT32 and
 * {@link #djlType()} answers INT32.
 */
public enum SafetensorsDtype {
  F64(8, DataType.FLOAT64),
  F32(4, DataType.FLOAT32),
  F16(2, DataType.FLOAT16),
  BF16(2, null),
  I64(8, DataType.INT64),
  I32(4, DataType.INT32),
  I16(2, DataType.INT32),
  I8(1, DataType.INT8),
  U8(1, DataType.UINT8),
  BOOL(1, DataType.BOOLEAN);

  private final int byteSize;
  private final DataType djlType;

  SafetensorsDtype(int byteSize, DataType djlType) {
    this.byteSize = byteSize;
    this.djlType = djlType;
  }

  /** Bytes per element in the file. */
  public int byteSize() {
    return byteSize;
  }

  /** Whether the values are floating point (F64, F32, F16, BF16). */
  public boolean isFloating() {
    return this == F64 || this == F32 || this == F16 || this == BF16;
  }

  /**
   * The DJL type an NDArray of this dtype gets: exact for all but I16, which widens to INT32.
   *
   * @throws IllegalStateException for BF16, which no NDArray may hold on the PyTorch engine
   */
  public DataType djlType() {
    if (djlType == null) {
      throw new IllegalStateException(
          "BF16 has no safe DJL type: the PyTorch engine aborts the JVM on bfloat16 arrays;"
              + " widen to float32 first (HostTensor.toNDArray does)");
    }
    return djlType;
  }

  /**
   * Parses a header dtype name such as {@code "F32"} or {@code "BF16"} (exact, as HF writes them).
   *
   * @throws IllegalArgumentException naming the unknown dtype and the supported ones; the caller
   *     adds the file and tensor
   */
  public static SafetensorsDtype parse(String name) {
    for (SafetensorsDtype d : values()) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    String known = Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    throw new IllegalArgumentException(
        "unsupported safetensors dtype '" + name + "' (supported: " + known + ")");
  }

  /** The safetensors dtype of a DJL type; refuses BFLOAT16 and types safetensors cannot hold. */
  public static SafetensorsDtype of(DataType type) {
    switch (type) {
      case FLOAT64:
        return F64;
      case FLOAT32:
        return F32;
      case FLOAT16:
        return F16;
      case INT64:
        return I64;
      case INT32:
        return I32;
      case INT16:
        return I16;
      case INT8:
        return I8;
      case UINT8:
        return U8;
      case BOOLEAN:
        return BOOL;
      default:
        throw new IllegalArgumentException(
            "no safetensors dtype for DJL type "
                + type
                + (type == DataType.BFLOAT16 ? " (bfloat16 arrays abort the PyTorch engine)" : ""));
    }
  }
}
