package ai.attune.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every malformed input is a SafetensorsException naming the file (and tensor), never a crash. */
@Tag("engine")
class SafetensorsCorruptionTest {
  @TempDir Path dir;

  @Test
  void fileShorterThanTheLengthField() throws IOException {
    Path file = Files.write(dir.resolve("short.safetensors"), new byte[5]);
    openFails(file).hasMessageContaining("shorter than the 8-byte");
  }

  @Test
  void headerLengthPastEndOfFileOrAbsurd() throws IOException {
    Path file = good("len.safetensors");
    patchLength(file, Files.size(file));
    openFails(file).hasMessageContaining("runs past the end of the file");
    patchLength(file, 1L << 40);
    openFails(file).hasMessageContaining("not plausible");
    patchLength(file, -1L);
    openFails(file).hasMessageContaining("18446744073709551615");
  }

  @Test
  void headerNotJsonOrNotAnObject() throws IOException {
    openFails(raw("garbage.safetensors", "{\"a\": nope", 0)).hasMessageContaining("not valid JSON");
    openFails(raw("array.safetensors", "[1, 2]", 0)).hasMessageContaining("not a JSON object");
    openFails(raw("trailing.safetensors", "{} {}", 0)).hasMessageContaining("not valid JSON");
    openFails(raw("dup.safetensors", "{\"__metadata__\":{},\"__metadata__\":{}}", 0))
        .hasMessageContaining("not valid JSON");
    openFails(raw("meta.safetensors", "{\"__metadata__\":{\"n\":1}}", 0))
        .hasMessageContaining("not a string");
  }

  @Test
  void entryMissingFields() throws IOException {
    tensorFails(
            raw("nodtype.safetensors", "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "w")
        .hasMessageContaining("'dtype'");
    tensorFails(
            raw("noshape.safetensors", "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4),
            "w")
        .hasMessageContaining("'shape'");
    tensorFails(raw("nooffsets.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "w")
        .hasMessageContaining("'data_offsets'");
    tensorFails(raw("notobj.safetensors", "{\"w\":[1]}", 4), "w")
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void unknownDtypeIsNamed() throws IOException {
    tensorFails(raw("fp8.safetensors", entry("w", "F8_E4M3", "[4]", 0, 4), 4), "w")
        .hasMessageContaining("F8_E4M3");
  }

  @Test
  void offsetsOutsideReversedOrDisagreeingWithShape() throws IOException {
    tensorFails(raw("past.safetensors", entry("w", "F32", "[250]", 0, 1000), 16), "w")
        .hasMessageContaining("past the end of the data section");
    tensorFails(raw("reversed.safetensors", entry("w", "F32", "[1]", 8, 4), 16), "w")
        .hasMessageContaining("end before they begin");
    tensorFails(raw("shape.safetensors", entry("w", "F32", "[3]", 0, 8), 16), "w")
        .hasMessageContaining("needs 12 bytes");
    tensorFails(raw("negative.safetensors", entry("w", "F32", "[-1, 2]", 0, 8), 16), "w")
        .hasMessageContaining("-1");
    tensorFails(raw("fraction.safetensors", entry("w", "F32", "[1.5]", 0, 8), 16), "w")
        .hasMessageContaining("1.5");
    tensorFails(
            raw("huge.safetensors", entry("w", "F32", "[4294967296, 4294967296]", 0, 8), 16), "w")
        .hasMessageContaining("overflows");
  }

  @Test
  void truncatedFileNamesTheTensorWhoseDataIsMissing() throws IOException {
    Path file = good("trunc.safetensors");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 4);
    }
    tensorFails(file, "second").hasMessageContaining("truncated");
  }

  @Test
  void missingShardAndIndexShardMismatch() throws IOException {
    List<HostTensor> tensors =
        List.of(
            HostTensor.ofFloats("a", new long[] {4}, new float[4]),
            HostTensor.ofFloats("b", new long[] {4}, new float[4]));
    SafetensorsWriter.writeSharded(dir, tensors, 16, null);
    Path shard2 = dir.resolve("model-00002-of-00002.safetensors");
    Path moved = Files.move(shard2, dir.resolve("elsewhere.bin"));
    assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir))
        .isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("model-00002-of-00002.safetensors")
        .hasMessageContaining("'b'")
        .hasMessageContaining("missing");
    Files.move(moved, shard2);
    Files.copy(
        dir.resolve("model-00001-of-00002.safetensors"),
        shard2,
        StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir))
        .isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("model-00002-of-00002.safetensors")
        .hasMessageContaining("'b'")
        .hasMessageContaining("does not hold it");
  }

  @Test
  void unknownNameListsNearbyNames() throws IOException {
    Path file = good("names.safetensors");
    try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(file)) {
      assertThatThrownBy(() -> ckpt.read("secnd"))
          .isInstanceOf(SafetensorsException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("'secnd'")
          .hasMessageContaining("nearest names: second, first");
    }
    assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir.resolve("absent")))
        .isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("absent");
    assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir))
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("model.safetensors.index.json");
  }

  @Test
  void readAfterCloseOrAfterTheFileShrinksFailsCleanly() throws IOException {
    Path file = good("closed.safetensors");
    SafetensorsFile f = SafetensorsFile.open(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 4);
    }
    assertThatThrownBy(() -> f.read("second"))
        .isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("'second'")
        .hasMessageContaining("shrank");
    f.close();
    assertThatThrownBy(() -> f.read("first")).hasMessageContaining("closed");
  }

  private AbstractThrowableAssert<?, ?> openFails(Path file) {
    return assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(SafetensorsException.class)
        .hasMessageStartingWith(file.toString());
  }

  private AbstractThrowableAssert<?, ?> tensorFails(Path file, String tensor) {
    return openFails(file)
        .hasMessageContaining("tensor '" + tensor + "'")
        .satisfies(e -> assertThat(((SafetensorsException) e).tensor()).isEqualTo(tensor));
  }

  private Path good(String name) {
    Path file = dir.resolve(name);
    SafetensorsWriter.write(
        file,
        List.of(
            HostTensor.ofFloats("first", new long[] {2}, new float[] {1, 2}),
            HostTensor.ofFloats("second", new long[] {2}, new float[] {3, 4})),
        null);
    return file;
  }

  private static void patchLength(Path file, long length) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(length).flip(), 0);
    }
  }

  private static String entry(String name, String dtype, String shape, long begin, long end) {
    return "{\""
        + name
        + "\":{\"dtype\":\""
        + dtype
        + "\",\"shape\":"
        + shape
        + ",\"data_offsets\":["
        + begin
        + ","
        + end
        + "]}}";
  }

  private Path raw(String name, String header, int dataBytes) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf =
        ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(json.length).put(json);
    return Files.write(dir.resolve(name), buf.array());
  }
}
