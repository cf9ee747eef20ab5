package ai.attune.core.run;

import ai.attune.core.config.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks on the places a command is about to write, made before any work starts, so that a run
 * folder that is a file (or a file whose parent is one) fails at once with a message naming the
 * setting and the path, not later with a bare path from the file system.
 */
public final class OutputPaths {
  private OutputPaths() {}

  /**
   * Fails unless {@code dir} is a folder or can be created as one: it must not be a file, and the
   * nearest existing folder above it must not be a file either.
   *
   * @param setting the setting or option that named it ({@code output.dir}, {@code --out})
   */
  public static void requireFolder(Path dir, String setting) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new InvalidSettingException(
          setting,
          dir
              + " is a file, not a folder: name a folder"
              + " (it is created when missing) for the run's outputs");
    }
    requireParents(dir, setting);
    if (Files.isDirectory(dir) && !Files.isWritable(dir)) {
      throw new InvalidSettingException(setting, dir + " is not writable");
    }
  }

  /**
   * Fails unless {@code file} can be written as a file: it must not be a folder, and no existing
   * path above it may be a file.
   */
  public static void requireFile(Path file, String setting) {
    if (Files.isDirectory(file)) {
      throw new InvalidSettingException(setting, file + " is a folder; name the file to write");
    }
    requireParents(file, setting);
  }

  private static void requireParents(Path path, String setting) {
    for (Path p = path.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          throw new InvalidSettingException(
              setting, path + " cannot be created: " + p + " is a file, not a folder");
        }
        return;
      }
    }
  }
}
