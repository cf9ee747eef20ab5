package ai.attune.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("engine")
class SafetensorsRoundTripTest {
  private static final float[] REPRESENTABLE = {0f, 1f, -2.5f, 0.15625f, 1024f, -0.0078125f};
  private static final long[] SHAPE = {2, 3};

  @TempDir Path dir;

  @Test
  void everyFloatingDtypeRoundTripsExactly() {
    List<HostTensor> written = new ArrayList<>();
    for (SafetensorsDtype d : SafetensorsDtype.values()) {
      if (d.isFloating()) {
        written.add(HostTensor.ofFloats(d.name(), SHAPE, REPRESENTABLE).convert(d));
      }
    }
    Path file = dir.resolve("floats.safetensors");
    SafetensorsWriter.write(file, written, Map.of("note", "floats"));
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertThat(f.tensors().keySet()).containsExactly("F64", "F32", "F16", "BF16");
      assertThat(f.metadata()).containsEntry("note", "floats").containsEntry("format", "pt");
      for (HostTensor w : written) {
        HostTensor r = f.read(w.name());
        assertThat(r.dtype()).isEqualTo(w.dtype());
        assertThat(r.shape()).containsExactly(2, 3);
        assertThat(r.toFloats()).as(w.name()).containsExactly(REPRESENTABLE);
        assertThat(r).isEqualTo(w);
      }
    }
  }

  @Test
  void everyIntegerDtypeRoundTripsExactly() {
    List<HostTensor> written = new ArrayList<>();
    written.add(longs(SafetensorsDtype.I64, Long.MIN_VALUE, -1, 0, 1, 42, Long.MAX_VALUE));
    written.add(longs(SafetensorsDtype.I32, Integer.MIN_VALUE, -7, 0, 3, 99, Integer.MAX_VALUE));
    written.add(longs(SafetensorsDtype.I16, Short.MIN_VALUE, -7, 0, 3, 99, Short.MAX_VALUE));
    written.add(longs(SafetensorsDtype.I8, -128, -7, 0, 3, 99, 127));
    written.add(longs(SafetensorsDtype.U8, 0, 1, 128, 200, 254, 255));
    written.add(longs(SafetensorsDtype.BOOL, 0, 1, 1, 0, 0, 1));
    Path file = dir.resolve("ints.safetensors");
    SafetensorsWriter.write(file, written, null);
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (HostTensor w : written) {
        HostTensor r = f.read(w.name());
        assertThat(r.dtype()).isEqualTo(w.dtype());
        assertThat(r.toLongs()).as(w.name()).containsExactly(w.toLongs());
        assertThat(r.byteLength()).isEqualTo(6L * w.dtype().byteSize());
      }
      assertThat(f.read("U8").toFloats()).containsExactly(0, 1, 128, 200, 254, 255);
    }
  }

  @Test
  void randomFloat32BitsSurviveAndScalarsAndEmptyTensorsWork() {
    Random random = new Random(7);
    float[] values = new float[1000];
    for (int i = 0; i < values.length; i++) {
      values[i] = Float.intBitsToFloat(random.nextInt() & 0x7f7fffff);
    }
    List<HostTensor> written =
        List.of(
            HostTensor.ofFloats("random", new long[] {10, 100}, values),
            HostTensor.ofFloats("scalar", new long[] {}, new float[] {3.5f}),
            HostTensor.ofFloats("empty", new long[] {0, 4}, new float[0]));
    Path file = dir.resolve("misc.safetensors");
    SafetensorsWriter.write(file, written, null);
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertThat(f.read("random").toFloats()).containsExactly(values);
      assertThat(f.read("scalar").shape()).isEmpty();
      assertThat(f.read("scalar").toFloats()).containsExactly(3.5f);
      assertThat(f.info("empty").byteLength()).isZero();
      assertThat(f.read("empty").toFloats()).isEmpty();
      assertThat(f.readElements("random", 995, 5).toFloats())
          .containsExactly(Arrays.copyOfRange(values, 995, 1000));
    }
  }

  @Test
  void tensorsPastTwoGigabytesUseLongOffsetsAndStreamInSlices() throws IOException {
    long n = 3_000_000_000L;
    byte[] json =
        ("{\"big\":{\"dtype\":\"U8\",\"shape\":[" + n + "],\"data_offsets\":[0," + n + "]}}")
            .getBytes(StandardCharsets.UTF_8);
    Path file = dir.resolve("big.safetensors");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
      raf.write(json);
      raf.seek(8 + json.length + n - 1);
      raf.write(42); // the file is sparse: only the last byte is stored
    }
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertThat(f.info("big").end()).isEqualTo(n);
      assertThatThrownBy(() -> f.read("big"))
          .isInstanceOf(SafetensorsException.class)
          .hasMessageContaining("'big'")
          .hasMessageContaining("toNDArray");
      assertThat(f.readElements("big", n - 3, 3).toLongs()).containsExactly(0, 0, 42);
      assertThatThrownBy(() -> f.readElements("big", n - 3, 4)).hasMessageContaining("inside");
    }
  }

  @Test
  void float32ToBfloat16RoundsAndWidensBack() {
    float[] in = {1.0f, -2.5f, 3.14159f, 0.1f, 65504f};
    float[] back =
        HostTensor.ofFloats("x", new long[] {5}, in)
            .convert(SafetensorsDtype.BF16)
            .convert(SafetensorsDtype.F32)
            .toFloats();
    assertThat(back).containsExactly(1.0f, -2.5f, 3.140625f, 0.10009765625f, 65536f);
    float[] half =
        HostTensor.ofFloats("x", new long[] {5}, in).convert(SafetensorsDtype.F16).toFloats();
    assertThat(half).containsExactly(1.0f, -2.5f, 3.140625f, 0.0999755859375f, 65504f);
  }

  @Test
  void convertRefusesLossyIntegerTargets() {
    HostTensor big = HostTensor.ofLongs("big", new long[] {1}, new long[] {300});
    assertThatThrownBy(() -> big.convert(SafetensorsDtype.I8))
        .hasMessageContaining("big")
        .hasMessageContaining("300");
    HostTensor floats = HostTensor.ofFloats("f", new long[] {1}, new float[] {1f});
    assertThatThrownBy(() -> floats.convert(SafetensorsDtype.I32)).hasMessageContaining("'f'");
    assertThatThrownBy(floats::toLongs).hasMessageContaining("toFloats");
  }

  @Test
  void hostTensorRejectsMismatchedBytes() {
    assertThatThrownBy(() -> HostTensor.ofFloats("w", new long[] {2, 2}, new float[3]))
        .hasMessageContaining("'w'")
        .hasMessageContaining("16 bytes");
  }

  private static HostTensor longs(SafetensorsDtype dtype, long... values) {
    return HostTensor.ofLongs(dtype.name(), SHAPE, values).convert(dtype);
  }
}
