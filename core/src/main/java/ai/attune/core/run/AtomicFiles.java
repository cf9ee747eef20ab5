package ai.attune.core.run;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files and directories so that readers see either the old content or the new, never a
 * half-written one.
 *
 * <p>A file is written to a hidden temporary sibling ({@code .name.*.tmp}), forced to disk and
 * renamed over the target. A directory (a checkpoint) is filled as a hidden temporary sibling,
 * every file in it forced to disk, and then swapped in: the old directory is renamed to {@code
 * .name.old}, the new one renamed into place and the old one deleted. POSIX cannot rename over a
 * non-empty directory, so the swap has a short window with no target; a crash inside it leaves the
 * previous version whole under {@code .name.old}. Any failure, including one thrown by the caller's
 * writer, deletes the temporary and leaves the target as it was. Parent directories are created.
 * One writer per target at a time.
 */
public final class AtomicFiles {
  private static final int BUFFER = 1 << 16;

  private AtomicFiles() {}

  /** Atomically replaces {@code target} with {@code bytes}. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /**
   * Atomically replaces {@code target} with what {@code writer} writes. The stream is buffered; the
   * writer may close it, which only flushes.
   */
  public static void write(Path target, IoConsumer<OutputStream> writer) throws IOException {
    writeChannel(
        target,
        channel -> {
          OutputStream out =
              new KeepOpen(new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER));
          writer.accept(out);
          out.flush();
        });
  }

  /**
   * Atomically replaces {@code target} with what {@code writer} writes to a file channel (for
   * positioned or bulk writes such as safetensors). The file gets mode {@code rw-r--r--} where the
   * file system has POSIX permissions.
   */
  public static void writeChannel(Path target, IoConsumer<FileChannel> writer) throws IOException {
    Path file = target.toAbsolutePath();
    Path parent = file.getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempFile(parent, "." + file.getFileName() + ".", ".tmp");
    try {
      setMode(temp, "rw-r--r--");
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        writer.accept(channel);
        channel.force(true);
      }
      move(temp, file);
    } catch (IOException | RuntimeException | Error e) {
      deleteAfterFailure(temp, e);
      throw e;
    }
    syncDirectory(parent);
  }

  private static void setMode(Path path, String mode) throws IOException {
    if (Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class)) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }
  }

  /**
   * Atomically replaces the directory {@code target} with one that {@code fill} populates. {@code
   * fill} receives an empty temporary directory beside the target; if it throws, the target is left
   * untouched.
   */
  public static void writeDirectory(Path target, IoConsumer<Path> fill) throws IOException {
    Path dir = target.toAbsolutePath();
    Path parent = dir.getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".tmp-");
    try {
      setMode(temp, "rwxr-xr-x");
      fill.accept(temp);
      syncTree(temp);
      swapIn(temp, dir);
    } catch (IOException | RuntimeException | Error e) {
      deleteAfterFailure(temp, e);
      throw e;
    }
  }

  /** Deletes a file or a directory with everything in it; nothing happens if it is absent. */
  public static void deleteTree(Path path) throws IOException {
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
        for (Path child : children) {
          deleteTree(child);
        }
      }
    }
    Files.deleteIfExists(path);
  }

  /** Renames the old directory aside, the new one into place, then deletes the old one. */
  private static void swapIn(Path fresh, Path dir) throws IOException {
    Path trash = dir.resolveSibling("." + dir.getFileName() + ".old");
    deleteTree(trash);
    boolean hadOld = Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
    if (hadOld) {
      move(dir, trash);
    }
    try {
      move(fresh, dir);
    } catch (IOException | RuntimeException e) {
      if (hadOld) {
        move(trash, dir);
      }
      throw e;
    }
    syncDirectory(dir.getParent());
    deleteTree(trash);
  }

  private static void deleteAfterFailure(Path temp, Throwable failure) {
    try {
      deleteTree(temp);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void syncTree(Path path) throws IOException {
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
        for (Path child : children) {
          syncTree(child);
        }
      }
      syncDirectory(path);
    } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
        channel.force(true);
      }
    }
  }

  /** Makes a rename durable; best effort, since some platforms cannot open a directory. */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Windows and some file systems refuse to open or sync a directory; the rename still holds.
    }
  }

  /** Passes writes through and turns close into flush, so the channel can be forced afterwards. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
