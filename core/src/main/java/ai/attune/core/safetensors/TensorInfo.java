package ai.attune.core.safetensors;

import java.util.Arrays;
import java.util.Objects;

/**
 * One header entry of a safetensors file: name, dtype, shape and the byte range of its data.
 *
 * <p>{@code begin} and {@code end} are relative to the start of the data section (the byte after
 * the header), exactly as in the file's {@code data_offsets}. The shape is copied in and out, so an
 * instance never changes.
 */
public record TensorInfo(String name, SafetensorsDtype dtype, long[] shape, long begin, long end) {

  /** Checks the entry is self-consistent: non-negative dims and range that fits the shape. */
  public TensorInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    shape = shape.clone();
    long bytes = Math.multiplyExact(Shapes.numel(shape), dtype.byteSize());
    if (begin < 0 || end - begin != bytes) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "': data range ["
              + begin
              + ", "
              + end
              + ") does not hold "
              + bytes
              + " bytes of "
              + dtype
              + Arrays.toString(shape));
    }
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Number of elements (1 for a scalar). */
  public long numel() {
    return Shapes.numel(shape);
  }

  /** Number of data bytes. */
  public long byteLength() {
    return end - begin;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t
        && name.equals(t.name)
        && dtype == t.dtype
        && Arrays.equals(shape, t.shape)
        && begin == t.begin
        && end == t.end;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
  }
}
