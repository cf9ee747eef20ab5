package ai.attune.core.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The files mapped into this process, from Linux's {@code /proc/self/maps}. */
final class MappedFiles {
  static final Path MAPS = Paths.get("/proc/self/maps");

  private MappedFiles() {}

  /** This process's {@code /proc/self/maps} lines, or empty where it cannot be read (not Linux). */
  static Optional<List<String>> ofThisProcess() {
    if (!Files.isReadable(MAPS)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readAllLines(MAPS));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The path of every line that maps a file, in line order (repeats kept). */
  static List<String> paths(List<String> mapsLines) {
    List<String> paths = new ArrayList<>();
    for (String line : mapsLines) {
      int slash = line.indexOf('/');
      if (slash >= 0) {
        paths.add(line.substring(slash).trim());
      }
    }
    return paths;
  }

  /** The file name of a path. */
  static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
