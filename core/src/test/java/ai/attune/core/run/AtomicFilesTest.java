package ai.attune.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("pure")
class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writesBytesAndCreatesParents() throws IOException {
    Path target = dir.resolve("a/b/run.json");
    AtomicFiles.write(target, "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(target).hasContent("{}");
    AtomicFiles.write(target, "{\"x\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(target).hasContent("{\"x\":1}");
    assertThat(names(target.getParent())).containsExactly("run.json");
  }

  @Test
  void filesAndDirectoriesAreReadableByOthersNotJustTheOwner() throws IOException {
    Path file = dir.resolve("model.safetensors");
    AtomicFiles.write(file, new byte[] {1});
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r--r--");
    Path ckpt = dir.resolve("checkpoint");
    AtomicFiles.writeDirectory(ckpt, d -> AtomicFiles.write(d.resolve("x"), new byte[] {2}));
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(ckpt)))
        .isEqualTo("rwxr-xr-x");
  }

  @Test
  void writerMayCloseTheStream() throws IOException {
    Path target = dir.resolve("closed.txt");
    AtomicFiles.write(
        target,
        out -> {
          out.write("hello".getBytes(StandardCharsets.UTF_8));
          out.close();
        });
    assertThat(target).hasContent("hello");
  }

  @Test
  void failingWriterKeepsOldContentAndLeavesNoTemp() throws IOException {
    Path target = dir.resolve("model.bin");
    Files.writeString(target, "old");
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      out.write("half of the new".getBytes(StandardCharsets.UTF_8));
                      throw new IOException("disk on fire");
                    }))
        .hasMessage("disk on fire");
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      throw new IllegalStateException("bug");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(target).hasContent("old");
    assertThat(names(dir)).containsExactly("model.bin");
  }

  @Test
  void writeDirectoryReplacesAnExistingDirectory() throws IOException {
    Path checkpoint = dir.resolve("checkpoint-100");
    AtomicFiles.writeDirectory(checkpoint, d -> Files.writeString(d.resolve("old.txt"), "v1"));
    AtomicFiles.writeDirectory(
        checkpoint,
        d -> {
          Files.writeString(d.resolve("weights.safetensors"), "v2");
          Files.createDirectories(d.resolve("optim"));
          Files.writeString(d.resolve("optim/state.bin"), "s2");
        });
    assertThat(names(checkpoint)).containsExactlyInAnyOrder("weights.safetensors", "optim");
    assertThat(checkpoint.resolve("weights.safetensors")).hasContent("v2");
    assertThat(checkpoint.resolve("optim/state.bin")).hasContent("s2");
    assertThat(names(dir)).containsExactly("checkpoint-100");
  }

  @Test
  void failingFillKeepsTheOldDirectoryIntact() throws IOException {
    Path checkpoint = dir.resolve("checkpoint");
    AtomicFiles.writeDirectory(checkpoint, d -> Files.writeString(d.resolve("w.bin"), "good"));
    assertThatThrownBy(
            () ->
                AtomicFiles.writeDirectory(
                    checkpoint,
                    d -> {
                      Files.writeString(d.resolve("w.bin"), "partial");
                      throw new IOException("out of space");
                    }))
        .hasMessage("out of space");
    assertThat(names(checkpoint)).containsExactly("w.bin");
    assertThat(checkpoint.resolve("w.bin")).hasContent("good");
    assertThat(names(dir)).containsExactly("checkpoint");
  }

  @Test
  void staleTrashFromACrashIsCleanedUp() throws IOException {
    Path checkpoint = dir.resolve("ckpt");
    Files.createDirectories(dir.resolve(".ckpt.old"));
    Files.writeString(dir.resolve(".ckpt.old/w.bin"), "previous");
    AtomicFiles.writeDirectory(checkpoint, d -> Files.writeString(d.resolve("w.bin"), "new"));
    assertThat(checkpoint.resolve("w.bin")).hasContent("new");
    assertThat(names(dir)).containsExactly("ckpt");
  }

  @Test
  void deleteTreeRemovesNestedDirectoriesAndIgnoresAbsentPaths() throws IOException {
    Files.createDirectories(dir.resolve("x/y/z"));
    Files.writeString(dir.resolve("x/y/f.txt"), "f");
    AtomicFiles.deleteTree(dir.resolve("x"));
    AtomicFiles.deleteTree(dir.resolve("absent"));
    assertThat(names(dir)).isEmpty();
  }

  private static List<String> names(Path directory) throws IOException {
    try (Stream<Path> s = Files.list(directory)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }
}
