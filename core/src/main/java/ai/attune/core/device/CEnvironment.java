package ai.attune.core.device;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * The process's C environment, where libtorch and the libraries inside it read their variables;
 * Java's own {@link System#getenv} is a copy made at start-up and cannot be changed.
 */
final class CEnvironment {
  /** The C library's {@code setenv} and {@code unsetenv}. */
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
    return call("setenv", name, c -> c.setenv(name, value, 0));
  }

  /** Removes {@code name}; empty when removed (or absent), else why not, as a phrase. */
  static Optional<String> unset(String name) {
    return call("unsetenv", name, c -> c.unsetenv(name));
  }

  /** Calls the C library's {@code function} on {@code name}; empty when it returned 0. */
  private static Optional<String> call(String function, String name, ToIntFunction<CLibrary> call) {
    try {
      CLibrary c = Native.load(Platform.C_LIBRARY_NAME, CLibrary.class);
      return call.applyAsInt(c) == 0
          ? Optional.empty()
          : Optional.of(function + "(" + name + ") failed");
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return Optional.of("the C library's " + function + " could not be called (" + e + ")");
    }
  }
}
