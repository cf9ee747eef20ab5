package ai.attune.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engine tier: host tensors to and from NDArrays on the CPU, never through bfloat16. */
@Tag("engine")
class HostTensorNDArrayTest {
  private static final float[] VALUES = {0f, 1f, -2.5f, 0.1f, 3.14159f, 100f};
  private static final long[] SHAPE = {2, 3};

  @TempDir Path dir;
  private NDManager manager;
  private final List<DataType> requested = new ArrayList<>();

  @BeforeEach
  void openManager() {
    manager = recording(Engines.newManager(DevicePolicy.CPU));
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  @Test
  void float32LoadsAsFloat32OrFloat16() {
    HostTensor t = HostTensor.ofFloats("w", SHAPE, VALUES);
    NDArray f32 = t.toNDArray(manager, DataType.FLOAT32);
    assertThat(f32.getDataType()).isEqualTo(DataType.FLOAT32);
    assertThat(f32.getShape()).isEqualTo(new Shape(2, 3));
    assertThat(f32.toFloatArray()).containsExactly(VALUES);
    NDArray f16 = t.toNDArray(manager, DataType.FLOAT16);
    assertThat(f16.getDataType()).isEqualTo(DataType.FLOAT16);
    assertThat(f16.toType(DataType.FLOAT32, false).toFloatArray())
        .containsExactly(t.convert(SafetensorsDtype.F16).toFloats());
  }

  @Test
  void float16IsCreatedAsFloat16ThenCast() {
    HostTensor half = HostTensor.ofFloats("h", SHAPE, VALUES).convert(SafetensorsDtype.F16);
    NDArray asHalf = half.toNDArray(manager, DataType.FLOAT16);
    assertThat(asHalf.getDataType()).isEqualTo(DataType.FLOAT16);
    NDArray asFloat = half.toNDArray(manager, DataType.FLOAT32);
    assertThat(asFloat.getDataType()).isEqualTo(DataType.FLOAT32);
    assertThat(asFloat.toFloatArray()).containsExactly(half.toFloats());
    assertThat(asHalf.toType(DataType.FLOAT32, false).toFloatArray())
        .containsExactly(half.toFloats());
    assertThat(requested).contains(DataType.FLOAT16);
  }

  @Test
  void bfloat16IsWidenedInJavaAndNeverReachesTheEngine() {
    HostTensor bf = HostTensor.ofFloats("b", SHAPE, VALUES).convert(SafetensorsDtype.BF16);
    NDArray f32 = bf.toNDArray(manager, DataType.FLOAT32);
    assertThat(f32.getDataType()).isEqualTo(DataType.FLOAT32);
    assertThat(f32.toFloatArray()).containsExactly(0f, 1f, -2.5f, 0.10009765625f, 3.140625f, 100f);
    NDArray f16 = bf.toNDArray(manager, DataType.FLOAT16);
    assertThat(f16.getDataType()).isEqualTo(DataType.FLOAT16);
    assertThat(requested).isNotEmpty().doesNotContain(DataType.BFLOAT16);
    assertThatThrownBy(() -> bf.toNDArray(manager, DataType.BFLOAT16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bfloat16");
    assertThatThrownBy(() -> bf.toNDArray(manager, DataType.FLOAT64))
        .hasMessageContaining("FLOAT32 or FLOAT16");
  }

  @Test
  void integerTensorsKeepTheirTypes() {
    long[] ids = {-3, 0, 7, 1L << 40, 2, 9};
    NDArray i64 = HostTensor.ofLongs("ids", SHAPE, ids).toNDArray(manager, DataType.FLOAT16);
    assertThat(i64.getDataType()).isEqualTo(DataType.INT64);
    assertThat(i64.toLongArray()).containsExactly(ids);
    long[] small = {-3, 0, 7, 255, 2, 9};
    HostTensor base = HostTensor.ofLongs("s", SHAPE, small);
    NDArray i16 = base.convert(SafetensorsDtype.I16).toNDArray(manager, DataType.FLOAT32);
    assertThat(i16.getDataType()).isEqualTo(DataType.INT32);
    assertThat(i16.toIntArray()).containsExactly(-3, 0, 7, 255, 2, 9);
    NDArray i32 = base.convert(SafetensorsDtype.I32).toNDArray(manager, DataType.FLOAT32);
    assertThat(i32.toIntArray()).containsExactly(-3, 0, 7, 255, 2, 9);
    NDArray u8 =
        HostTensor.ofLongs("u", SHAPE, new long[] {0, 1, 128, 255, 2, 9})
            .convert(SafetensorsDtype.U8)
            .toNDArray(manager, DataType.FLOAT32);
    assertThat(u8.getDataType()).isEqualTo(DataType.UINT8);
    assertThat(u8.toUint8Array()).containsExactly(0, 1, 128, 255, 2, 9);
    NDArray bool =
        HostTensor.ofLongs("m", SHAPE, new long[] {1, 0, 0, 1, 1, 0})
            .convert(SafetensorsDtype.BOOL)
            .toNDArray(manager, DataType.FLOAT32);
    assertThat(bool.getDataType()).isEqualTo(DataType.BOOLEAN);
    assertThat(bool.toBooleanArray()).containsExactly(true, false, false, true, true, false);
  }

  @Test
  void chunkedLoadingMatchesTheSinglePass() {
    float[] values = new float[5 * 3];
    for (int i = 0; i < values.length; i++) {
      values[i] = i * 0.5f - 3f;
    }
    HostTensor f32 = HostTensor.ofFloats("e", new long[] {5, 3}, values);
    for (SafetensorsDtype d :
        List.of(
            SafetensorsDtype.F32,
            SafetensorsDtype.BF16,
            SafetensorsDtype.F16,
            SafetensorsDtype.F64)) {
      HostTensor t = f32.convert(d);
      NDArray chunked = t.toNDArray(manager, DataType.FLOAT32, 12); // 3 elements per chunk
      assertThat(chunked.getShape()).as(d.name()).isEqualTo(new Shape(5, 3));
      assertThat(chunked.toFloatArray()).as(d.name()).containsExactly(values);
      NDArray half = t.toNDArray(manager, DataType.FLOAT16, 8);
      assertThat(half.getDataType()).isEqualTo(DataType.FLOAT16);
      assertThat(half.toType(DataType.FLOAT32, false).toFloatArray())
          .containsExactly(f32.convert(SafetensorsDtype.F16).toFloats());
    }
    HostTensor ids = HostTensor.ofLongs("i", new long[] {7}, new long[] {1, 2, 3, 4, 5, 6, 7});
    assertThat(
            ids.convert(SafetensorsDtype.I16).toNDArray(manager, DataType.FLOAT32, 8).toIntArray())
        .containsExactly(1, 2, 3, 4, 5, 6, 7);
    assertThat(requested).doesNotContain(DataType.BFLOAT16);
  }

  @Test
  void scalarsAndEmptyTensorsLoad() {
    NDArray scalar =
        HostTensor.ofFloats("s", new long[] {}, new float[] {2f})
            .toNDArray(manager, DataType.FLOAT32);
    assertThat(scalar.getShape().dimension()).isZero();
    assertThat(scalar.getFloat()).isEqualTo(2f);
    NDArray empty =
        HostTensor.ofFloats("e", new long[] {0, 4}, new float[0])
            .convert(SafetensorsDtype.BF16)
            .toNDArray(manager, DataType.FLOAT16);
    assertThat(empty.getShape()).isEqualTo(new Shape(0, 4));
    assertThat(empty.getDataType()).isEqualTo(DataType.FLOAT16);
  }

  @Test
  void fileTensorsLoadIntoWritableArraysDetachedFromTheMapping() {
    Path file = dir.resolve("m.safetensors");
    SafetensorsWriter.write(
        file,
        List.of(
            HostTensor.ofFloats("w", SHAPE, VALUES).convert(SafetensorsDtype.BF16),
            HostTensor.ofFloats("x", SHAPE, VALUES)),
        null);
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      NDArray x = f.toNDArray("x", manager, DataType.FLOAT32);
      x.addi(1f); // would fault if the array aliased the read-only mapping
      assertThat(x.getFloat(0, 1)).isEqualTo(2f);
      assertThat(f.read("x").toFloats()).containsExactly(VALUES);
      NDArray w = f.read("w").toNDArray(manager, DataType.FLOAT32);
      w.muli(2f);
      assertThat(w.getFloat(0, 2)).isEqualTo(-5f);
    }
    assertThat(requested).doesNotContain(DataType.BFLOAT16);
  }

  @Test
  void copiesArraysOutForWriting() {
    NDArray floats = manager.create(VALUES, new Shape(2, 3));
    HostTensor f = HostTensor.of("f", floats);
    assertThat(f.dtype()).isEqualTo(SafetensorsDtype.F32);
    assertThat(f.shape()).containsExactly(2, 3);
    assertThat(f.toFloats()).containsExactly(VALUES);
    HostTensor h = HostTensor.of("h", floats.toType(DataType.FLOAT16, false));
    assertThat(h.dtype()).isEqualTo(SafetensorsDtype.F16);
    assertThat(h.toFloats())
        .containsExactly(
            HostTensor.ofFloats("x", SHAPE, VALUES).convert(SafetensorsDtype.F16).toFloats());
    HostTensor l = HostTensor.of("l", manager.create(new long[] {5, -6, 1L << 50}));
    assertThat(l.toLongs()).containsExactly(5, -6, 1L << 50);
    HostTensor b = HostTensor.of("b", manager.create(new boolean[] {true, false}));
    assertThat(b.dtype()).isEqualTo(SafetensorsDtype.BOOL);
    assertThat(b.toLongs()).containsExactly(1, 0);
  }

  @Test
  void refusesBfloat16ArraysWithoutTouchingThem() {
    NDArray fake =
        (NDArray)
            Proxy.newProxyInstance(
                NDArray.class.getClassLoader(),
                new Class<?>[] {NDArray.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("getDataType")) {
                    return DataType.BFLOAT16;
                  }
                  throw new AssertionError("touched a bfloat16 array: " + method.getName());
                });
    assertThatThrownBy(() -> HostTensor.of("w", fake))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bfloat16");
  }

  /** A manager that records every DataType passed to it, delegating everything else. */
  private NDManager recording(NDManager real) {
    return (NDManager)
        Proxy.newProxyInstance(
            NDManager.class.getClassLoader(),
            new Class<?>[] {NDManager.class},
            (proxy, method, args) -> {
              if (args != null) {
                for (Object a : args) {
                  if (a instanceof DataType type) {
                    requested.add(type);
                  }
                }
              }
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
