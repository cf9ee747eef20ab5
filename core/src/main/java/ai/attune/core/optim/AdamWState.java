package ai.attune.core.optim;

import ai.attune.core.safetensors.HostTensor;
import ai.attune.core.safetensors.SafetensorsException;
import ai.attune.core.safetensors.SafetensorsFile;
import ai.attune.core.safetensors.SafetensorsWriter;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AdamW}'s state as a safetensors file: per parameter {@code <name>.exp_avg} and {@code
 * <name>.exp_avg_sq} (float32, the parameter's shape), {@code <name>.master} for a parameter with a
 * separate float32 master, and the metadata {@code optimizer=adamw}, {@code step=<t>}.
 */
final class AdamWState {
  static final String EXP_AVG = ".exp_avg";
  static final String EXP_AVG_SQ = ".exp_avg_sq";
  static final String MASTER = ".master";
  private static final Logger LOG = LoggerFactory.getLogger(AdamWState.class);

  private AdamWState() {}

  static void save(Path file, List<AdamW.Slot> slots, long step) {
    List<HostTensor> tensors = new ArrayList<>();
    for (AdamW.Slot s : slots) {
      String name = s.parameter.name();
      tensors.add(HostTensor.of(name + EXP_AVG, s.expAvg));
      tensors.add(HostTensor.of(name + EXP_AVG_SQ, s.expAvgSq));
      if (s.master != null) {
        tensors.add(HostTensor.of(name + MASTER, s.master));
      }
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("optimizer", "adamw");
    meta.put("step", Long.toString(step));
    SafetensorsWriter.write(file, tensors, meta);
  }

  /** Reads every tensor first, then swaps them in, so a bad file changes nothing. */
  static long load(Path file, List<AdamW.Slot> slots, NDManager state) {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      long step = step(f);
      Set<String> expected = new HashSet<>();
      List<float[]> values = new ArrayList<>();
      for (AdamW.Slot s : slots) {
        String name = s.parameter.name();
        values.add(read(f, name + EXP_AVG, s.parameter.shape(), expected));
        values.add(read(f, name + EXP_AVG_SQ, s.parameter.shape(), expected));
        boolean hasMaster = f.contains(name + MASTER);
        values.add(
            s.master != null && hasMaster
                ? read(f, name + MASTER, s.parameter.shape(), expected)
                : null);
        if (s.master != null && !hasMaster) {
          LOG.warn(
              "{} has no {}: the float32 master is rebuilt from the model copy",
              file,
              name + MASTER);
        }
      }
      for (String t : f.tensors().keySet()) {
        if (!expected.contains(t)) {
          throw new SafetensorsException(
              file,
              t,
              "belongs to no parameter this optimizer trains"
                  + " (or to one without a separate master)",
              null);
        }
      }
      for (int i = 0; i < slots.size(); i++) {
        AdamW.Slot s = slots.get(i);
        s.expAvg = replace(s.expAvg, values.get(3 * i), s.parameter.shape(), state);
        s.expAvgSq = replace(s.expAvgSq, values.get(3 * i + 1), s.parameter.shape(), state);
        if (values.get(3 * i + 2) != null) {
          s.master = replace(s.master, values.get(3 * i + 2), s.parameter.shape(), state);
        } else if (s.master != null) {
          NDArray rebuilt = s.parameter.value().toType(DataType.FLOAT32, true);
          rebuilt.attach(state);
          s.master.close();
          s.master = rebuilt;
        }
      }
      return step;
    }
  }

  private static long step(SafetensorsFile f) {
    String step = f.metadata().get("step");
    if (step == null || !"adamw".equals(f.metadata().get("optimizer"))) {
      throw new SafetensorsException(
          f.path(),
          "not an AdamW state: the metadata needs "
              + "optimizer=adamw and step, got "
              + f.metadata());
    }
    try {
      long t = Long.parseLong(step);
      if (t < 0) {
        throw new NumberFormatException("negative");
      }
      return t;
    } catch (NumberFormatException e) {
      throw new SafetensorsException(
          f.path(), "metadata step '" + step + "' is not a step count", e);
    }
  }

  private static float[] read(SafetensorsFile f, String tensor, Shape shape, Set<String> expected) {
    expected.add(tensor);
    if (!f.contains(tensor)) {
      throw new SafetensorsException(f.path(), tensor, "missing", null);
    }
    HostTensor t = f.read(tensor);
    if (!Arrays.equals(t.shape(), shape.getShape())) {
      throw new SafetensorsException(
          f.path(),
          tensor,
          "has shape " + Arrays.toString(t.shape()) + ", the parameter has " + shape,
          null);
    }
    return t.toFloats();
  }

  private static NDArray replace(NDArray old, float[] values, Shape shape, NDManager state) {
    NDArray fresh = state.create(values, shape);
    old.close();
    return fresh;
  }
}
