package ai.attune.core.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Cutting a JSONL file back to the lines a checkpoint counted, when a run resumes (both trainers
 * keep their metrics, evaluation and seed logs this way).
 */
public final class JsonlFiles {
  private JsonlFiles() {}

  /**
   * Keeps the first {@code lines} lines of {@code file} (each ending in a newline) and drops the
   * rest: the lines of steps after the checkpoint, which the resumed run writes again.
   *
   * @throws IOException when the file holds fewer lines than that
   */
  public static void keepLines(Path file, long lines) throws IOException {
    if (!Files.exists(file)) {
      if (lines == 0) {
        return;
      }
      throw new IOException(
          file + " is missing, but the checkpoint counted " + lines + " lines in it");
    }
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long end = endOfLine(channel, lines);
      if (end < 0) {
        throw new IOException(
            file + " has fewer lines than the " + lines + " the checkpoint counted");
      }
      if (end < channel.size()) {
        channel.truncate(end);
        channel.force(true);
      }
    }
  }

  /** The offset just after the {@code n}-th newline, or -1 if there are fewer. */
  private static long endOfLine(FileChannel channel, long n) throws IOException {
    if (n == 0) {
      return 0;
    }
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    long seen = 0;
    long pos = 0;
    while (true) {
      buffer.clear();
      int read = channel.read(buffer, pos);
      if (read < 0) {
        return -1;
      }
      for (int i = 0; i < read; i++) {
        if (buffer.get(i) == '\n' && ++seen == n) {
          return pos + i + 1;
        }
      }
      pos += read;
    }
  }
}
