package ai.attune.core.params;

import java.nio.file.Path;
import java.util.List;

/**
 * What a checkpoint load did: parameters that got no value, checkpoint tensors no parameter
 * claimed, and tensors that were a second copy of a tied parameter.
 */
public record LoadReport(
    Path source, int loaded, List<String> missing, List<String> unexpected, List<String> tied) {

  public LoadReport {
    missing = List.copyOf(missing);
    unexpected = List.copyOf(unexpected);
    tied = List.copyOf(tied);
  }

  /** Throws naming the checkpoint and every missing parameter, if any is missing. */
  public LoadReport requireNoMissing() {
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          source
              + ": missing "
              + missing.size()
              + " parameter(s): "
              + abbreviate(missing)
              + (unexpected.isEmpty() ? "" : "; unexpected tensors: " + abbreviate(unexpected)));
    }
    return this;
  }

  private static String abbreviate(List<String> names) {
    int n = Math.min(names.size(), 10);
    String head = String.join(", ", names.subList(0, n));
    return names.size() > n ? head + ", ... (" + (names.size() - n) + " more)" : head;
  }

  @Override
  public String toString() {
    return "loaded "
        + loaded
        + " tensors from "
        + source
        + ", missing "
        + missing.size()
        + ", unexpected "
        + unexpected.size()
        + ", tied duplicates "
        + tied.size();
  }
}
