package ai.attune.iapo.attribution;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Parses the lower-case names of the option enums, listing the choices on a miss. */
final class Enums {
  private Enums() {}

  static <E extends Enum<E>> E parse(Class<E> type, String what, String text) {
    try {
      return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      String choices =
          Arrays.stream(type.getEnumConstants())
              .map(Object::toString)
              .collect(Collectors.joining(", "));
      throw new IllegalArgumentException(
          "unknown " + what + " '" + text + "': use one of " + choices, e);
    }
  }
}
