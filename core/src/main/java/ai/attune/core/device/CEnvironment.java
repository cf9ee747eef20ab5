package ai.attune.core.device;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.Optional;

/**
 * The process's C environment, where libtorch and the libraries inside it read their variables;
 * Java's own {@link System#getenv} is a copy made at start-up and cannot be changed.
 */
final class CEnvironment {
  /** The C library's {@code setenv}, the one call this class needs. */
  interface CLibrary extends Library {
    int setenv(String name, String value, int overwrite);

    int unsetenv(String name);
  }

  private CEnvironment() {}

  /**
   * Sets {@code name=value} without overwriting a value already there; empty when set, else why
   * not, as a phrase for a decision's reason.
   */
  static Optional<String> set(String name, String value) {
    try {
      CLibrary c = Native.load(Platform.C_LIBRARY_NAME, CLibrary.class);
      return c.setenv(name, value, 0) == 0
          ? Optional.empty()
          : Optional.of("setenv(" + name + ") failed");
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return Optional.of("the C library's setenv could not be called (" + e + ")");
    }
  }

  /** Removes {@code name}; empty when removed (or absent), else why not, as a phrase. */
  static Optional<String> unset(String name) {
    try {
      CLibrary c = Native.load(Platform.C_LIBRARY_NAME, CLibrary.class);
      return c.unsetenv(name) == 0
          ? Optional.empty()
          : Optional.of("unsetenv(" + name + ") failed");
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return Optional.of("the C library's unsetenv could not be called (" + e + ")");
    }
  }
}
