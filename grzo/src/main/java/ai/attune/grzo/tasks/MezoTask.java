package ai.attune.grzo.tasks;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The ten tasks of the MeZO/GRZO benchmark, each reading the fields of its standard HF dataset from
 * one JSONL line and applying MeZO's template (see {@link Templates}).
 */
public enum MezoTask {
  SST2("sst2", Templates::sst2),
  RTE("rte", Templates::rte),
  CB("cb", Templates::cb),
  BOOLQ("boolq", Templates::boolq),
  WIC("wic", Templates::wic),
  WSC("wsc", Templates::wsc),
  MULTIRC("multirc", Templates::multirc),
  COPA("copa", Templates::copa),
  SQUAD("squad", Templates::squad),
  DROP("drop", Templates::drop);

  private final String id;
  private final Function<JsonRecord, TaskExample> template;

  MezoTask(String id, Function<JsonRecord, TaskExample> template) {
    this.id = id;
    this.template = template;
  }

  /** The short lower-case name ({@code sst2}, {@code multirc}). */
  public String id() {
    return id;
  }

  /** How the task is trained and evaluated. */
  public TaskObjective objective() {
    switch (this) {
      case COPA:
        return TaskObjective.CHOICE_LANGUAGE_MODEL;
      case SQUAD:
      case DROP:
        return TaskObjective.GENERATION;
      default:
        return TaskObjective.CLASSIFICATION;
    }
  }

  /** The task named {@code name}, case-insensitively ({@code SST-2}, {@code sst2}). */
  public static MezoTask fromName(String name) {
    String key = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    for (MezoTask t : values()) {
      if (t.id.equals(key)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown task '"
            + name
            + "' (tasks: "
            + Arrays.stream(values()).map(MezoTask::id).collect(Collectors.joining(", "))
            + ")");
  }

  TaskExample build(JsonRecord record) {
    return template.apply(record);
  }
}
