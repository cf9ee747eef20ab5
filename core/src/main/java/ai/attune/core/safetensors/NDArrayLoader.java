package ai.attune.core.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;

/**
 * Builds an NDArray from little-endian safetensors bytes without ever creating a bfloat16 array.
 *
 * <p>Bytes are staged in a fresh direct buffer per part: BF16 widened to float32 in Java, I16 to
 * int32, other dtypes copied. On the CPU the engine would keep that buffer as the array's storage
 * (Java direct memory, held until the manager closes), so an uncast CPU part is cloned into
 * engine-owned memory and the staging buffer left to the GC; a file mapping is never handed over.
 * When the staged form would pass {@code chunkBytes} the tensor is built in chunks of whole rows
 * along dim 0 (flat runs when one row alone is larger), each cast to the target type, then
 * concatenated and reshaped: no Java buffer nears 2 GiB and a float16 target never holds the whole
 * float32 form at once.
 */
final class NDArrayLoader {
  /** Default staging limit per part: 1 GiB. */
  static final long CHUNK_BYTES = 1L << 30;

  /** Maps a run of elements of one tensor to its bytes, in a buffer ordered little-endian. */
  @FunctionalInterface
  interface Slicer {
    ByteBuffer slice(long firstElement, long count);
  }

  private NDArrayLoader() {}

  /**
   * Builds the array for one tensor.
   *
   * @param floatTarget FLOAT32 or FLOAT16: the type of floating tensors; integers keep theirs
   */
  static NDArray load(
      SafetensorsDtype dtype,
      long[] shape,
      Slicer slicer,
      NDManager manager,
      DataType floatTarget,
      long chunkBytes) {
    checkTarget(floatTarget);
    Shape full = new Shape(shape);
    long numel = Shapes.numel(shape);
    if (numel == 0) {
      return manager.zeros(full, resultType(dtype, floatTarget));
    }
    long perChunk = chunkElements(shape, numel, chunkBytes / stagingBytes(dtype));
    if (numel <= perChunk) {
      return part(dtype, slicer.slice(0, numel), full, manager, floatTarget);
    }
    try (NDList parts = new NDList()) {
      for (long first = 0; first < numel; first += perChunk) {
        long count = Math.min(perChunk, numel - first);
        parts.add(part(dtype, slicer.slice(first, count), new Shape(count), manager, floatTarget));
      }
      try (NDArray flat = NDArrays.concat(parts)) {
        return flat.reshape(full);
      }
    }
  }

  /** Elements per chunk: at most {@code limit}, whole rows of dim 0 when a row fits. */
  private static long chunkElements(long[] shape, long numel, long limit) {
    long perChunk = Math.max(1, limit);
    long row = shape.length == 0 ? 1 : numel / shape[0];
    return row <= perChunk ? perChunk / row * row : perChunk;
  }

  /** The DJL type the result has: the float target for floating dtypes, else the integer type. */
  static DataType resultType(SafetensorsDtype dtype, DataType floatTarget) {
    return dtype.isFloating() ? floatTarget : dtype.djlType();
  }

  static void checkTarget(DataType floatTarget) {
    if (floatTarget != DataType.FLOAT32 && floatTarget != DataType.FLOAT16) {
      throw new IllegalArgumentException(
          "float target must be FLOAT32 or FLOAT16, not "
              + floatTarget
              + (floatTarget == DataType.BFLOAT16
                  ? " (bfloat16 arrays abort the PyTorch engine)"
                  : ""));
    }
  }

  /** Bytes per element while staged in Java. */
  private static int stagingBytes(SafetensorsDtype dtype) {
    return switch (dtype) {
      case BF16, I16 -> 4;
      default -> dtype.byteSize();
    };
  }

  private static NDArray part(
      SafetensorsDtype dtype, ByteBuffer src, Shape shape, NDManager manager, DataType target) {
    int n = (int) shape.size();
    NDArray staged =
        switch (dtype) {
          case BF16 -> {
            ByteBuffer buf = direct((long) n * 4);
            Codec.decodeFloats(dtype, src, buf.asFloatBuffer());
            yield manager.create(buf, shape, DataType.FLOAT32);
          }
          case I16 -> {
            ShortBuffer values = src.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
            ByteBuffer buf = direct((long) n * 4);
            IntBuffer widened = buf.asIntBuffer();
            while (values.hasRemaining()) {
              widened.put(values.get());
            }
            yield manager.create(buf, shape, DataType.INT32);
          }
          default -> {
            ByteBuffer buf = direct((long) n * dtype.byteSize());
            Codec.copy(dtype.byteSize(), src, buf);
            yield manager.create(buf, shape, dtype.djlType());
          }
        };
    NDArray result = dtype.isFloating() ? cast(staged, target) : staged;
    return result == staged ? detach(staged) : result;
  }

  /** Moves a CPU array off its Java staging buffer into engine-owned memory. */
  private static NDArray detach(NDArray array) {
    if (array.getDevice().isGpu()) {
      return array; // the engine already copied it to the device
    }
    try (array) {
      return array.duplicate();
    }
  }

  private static NDArray cast(NDArray array, DataType target) {
    if (array.getDataType() == target) {
      return array;
    }
    try (array) {
      return array.toType(target, false);
    }
  }

  private static ByteBuffer direct(long bytes) {
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(bytes + " bytes do not fit one staging buffer");
    }
    return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
  }
}
