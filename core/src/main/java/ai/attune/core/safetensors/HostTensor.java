package ai.attune.core.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor in host memory: its safetensors dtype, shape and little-endian bytes, C-contiguous.
 *
 * <p>The bytes are either a read-only mapping of a file range ({@link SafetensorsFile#read}) or a
 * heap buffer. {@link #data()} hands out a fresh little-endian view positioned at 0, so callers
 * cannot disturb one another. One buffer holds at most 2 GiB; larger tensors go straight to an
 * NDArray through {@link SafetensorsFile#toNDArray} instead.
 */
public record HostTensor(String name, SafetensorsDtype dtype, long[] shape, ByteBuffer data) {

  /** Checks that {@code data} holds exactly {@code numel * byteSize} bytes. */
  public HostTensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    shape = shape.clone();
    long bytes = Math.multiplyExact(Shapes.numel(shape), dtype.byteSize());
    if (data.remaining() != bytes) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "': "
              + dtype
              + Arrays.toString(shape)
              + " needs "
              + bytes
              + " bytes, got "
              + data.remaining());
    }
    data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A float32 tensor holding {@code values} in C order. */
  public static HostTensor ofFloats(String name, long[] shape, float[] values) {
    return new HostTensor(
        name, SafetensorsDtype.F32, shape, Codec.encodeFloats(SafetensorsDtype.F32, values));
  }

  /** An int64 tensor holding {@code values} in C order. */
  public static HostTensor ofLongs(String name, long[] shape, long[] values) {
    return new HostTensor(
        name, SafetensorsDtype.I64, shape, Codec.encodeLongs(SafetensorsDtype.I64, values));
  }

  /**
   * Copies an NDArray (on any device) into host memory, for writing.
   *
   * @throws IllegalArgumentException for BFLOAT16 (refused before the array is touched) and for
   *     types safetensors cannot hold
   */
  public static HostTensor of(String name, NDArray array) {
    SafetensorsDtype dtype = SafetensorsDtype.of(array.getDataType());
    long[] shape = array.getShape().getShape();
    ByteBuffer nativeBytes = array.toByteBuffer().order(ByteOrder.nativeOrder());
    ByteBuffer out = Codec.allocate(nativeBytes.remaining());
    Codec.copy(dtype.byteSize(), nativeBytes, out);
    return new HostTensor(name, dtype, shape, out);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** A read-only little-endian view of the bytes, positioned at 0. */
  @Override
  public ByteBuffer data() {
    return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Number of elements (1 for a scalar). */
  public long numel() {
    return Shapes.numel(shape);
  }

  /** Number of data bytes. */
  public long byteLength() {
    return data.remaining();
  }

  /** The values widened to float32: exact for F32, F16, BF16 and small integers. */
  public float[] toFloats() {
    float[] out = new float[Shapes.intNumel(name, numel())];
    Codec.decodeFloats(dtype, data, FloatBuffer.wrap(out));
    return out;
  }

  /** The values of an integer or bool tensor as longs (bool as 0 and 1). */
  public long[] toLongs() {
    if (dtype.isFloating()) {
      throw new IllegalStateException(
          "tensor '" + name + "' is " + dtype + ", not an integer tensor; use toFloats()");
    }
    long[] out = new long[Shapes.intNumel(name, numel())];
    Codec.decodeLongs(dtype, data, out);
    return out;
  }

  /**
   * Builds an NDArray. Floating tensors become {@code floatTarget} (FLOAT32 or FLOAT16): BF16 is
   * widened to float32 in Java before any array exists, then cast; F16 is created as FLOAT16 and
   * cast if needed. Integer and bool tensors keep their type (I16 widens to INT32). Tensors whose
   * staged form passes 1 GiB are built in chunks and concatenated.
   */
  public NDArray toNDArray(NDManager manager, DataType floatTarget) {
    return toNDArray(manager, floatTarget, NDArrayLoader.CHUNK_BYTES);
  }

  /** As {@link #toNDArray(NDManager, DataType)}, staging at most {@code chunkBytes} at a time. */
  NDArray toNDArray(NDManager manager, DataType floatTarget, long chunkBytes) {
    int width = dtype.byteSize();
    NDArrayLoader.Slicer slicer =
        (first, count) ->
            data.slice((int) (first * width), (int) (count * width)).order(ByteOrder.LITTLE_ENDIAN);
    return NDArrayLoader.load(dtype, shape, slicer, manager, floatTarget, chunkBytes);
  }

  /**
   * The same values in another dtype. Floating targets go through float32 and round to nearest even
   * (float32 to BF16 keeps the top 16 bits, rounded); integer targets accept integer sources only
   * and refuse values out of range.
   */
  public HostTensor convert(SafetensorsDtype target) {
    if (target == dtype) {
      return this;
    }
    if (target.isFloating()) {
      return new HostTensor(name, target, shape, Codec.encodeFloats(target, toFloats()));
    }
    if (dtype.isFloating()) {
      throw new IllegalArgumentException(
          "tensor '" + name + "': will not convert floating " + dtype + " to " + target);
    }
    try {
      return new HostTensor(name, target, shape, Codec.encodeLongs(target, toLongs()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tensor '" + name + "': " + e.getMessage(), e);
    }
  }

  /** A copy under another name, sharing the bytes. */
  public HostTensor withName(String newName) {
    return new HostTensor(newName, dtype, shape, data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostTensor t
        && name.equals(t.name)
        && dtype == t.dtype
        && Arrays.equals(shape, t.shape)
        && data.equals(t.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    return "HostTensor[" + name + " " + dtype + Arrays.toString(shape) + "]";
  }
}
