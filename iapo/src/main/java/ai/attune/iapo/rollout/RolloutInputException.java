package ai.attune.iapo.rollout;

import ai.attune.iapo.data.VqaExample;

/**
 * An example that cannot be rolled out at all (an image that cannot be read or processed), raised
 * before anything is generated. The runner stays usable: a trainer may log it and skip the example.
 */
public class RolloutInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String exampleId;

  public RolloutInputException(VqaExample example, String problem, Throwable cause) {
    super("example " + example.id() + " (" + example.origin() + "): " + problem, cause);
    this.exampleId = example.id();
  }

  public String exampleId() {
    return exampleId;
  }
}
