package ai.attune.core.params;

import ai.attune.core.safetensors.HostTensor;
import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.attune.core.safetensors.TensorInfo;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies checkpoint tensors into a {@link ParameterStore} through an explicit name map.
 *
 * <p>Every checkpoint name goes through the model's {@link NameMap}; a name it does not map is
 * reported as unexpected. Every shape is asserted against the declared one before any copy, so a
 * mismatch names the tensor, the file and both shapes. Floating tensors are converted to the
 * compute type on the way in (bfloat16 always widened in Java first); a tensor that maps onto a
 * parameter already filled (the second copy of a tied weight) is checked for shape and skipped.
 *
 * <p>A parameter a model holds in another layout than the checkpoint (a convolution kernel over one
 * patch used as a linear weight) is named with the exact shape the checkpoint must hold; its tensor
 * is asserted to have that shape and is read as the parameter's shape, in the same C order.
 */
public final class CheckpointLoader {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointLoader.class);

  /** Maps a checkpoint tensor name to the model's parameter name, or empty if it is not used. */
  @FunctionalInterface
  public interface NameMap {
    Optional<String> map(String checkpointName);
  }

  private CheckpointLoader() {}

  /** Loads every mapped tensor of {@code checkpoint} into {@code store} as {@code floatType}. */
  public static LoadReport load(
      ParameterStore store, SafetensorsCheckpoint checkpoint, NameMap nameMap, DataType floatType) {
    return load(store, checkpoint, nameMap, Map.of(), floatType);
  }

  /**
   * As {@link #load(ParameterStore, SafetensorsCheckpoint, NameMap, DataType)}, with parameters
   * whose checkpoint tensor has another shape of the same size.
   *
   * @param checkpointShapes parameter name to the shape its checkpoint tensor must have
   */
  public static LoadReport load(
      ParameterStore store,
      SafetensorsCheckpoint checkpoint,
      NameMap nameMap,
      Map<String, Shape> checkpointShapes,
      DataType floatType) {
    checkReshapes(store, checkpointShapes);
    List<String> unexpected = new ArrayList<>();
    List<String> tied = new ArrayList<>();
    Set<String> filled = new HashSet<>();
    int loaded = 0;
    for (String name : checkpoint.names()) {
      Optional<String> target = nameMap.map(name).filter(t -> store.find(t).isPresent());
      if (target.isEmpty()) {
        unexpected.add(name);
        continue;
      }
      Parameter p = store.get(target.get());
      TensorInfo info = checkpoint.info(name);
      Shape shape = new Shape(info.shape());
      Shape expected = checkpointShapes.getOrDefault(p.name(), p.shape());
      if (!shape.equals(expected)) {
        throw new IllegalArgumentException(
            checkpoint.fileOf(name)
                + ": tensor "
                + name
                + " has shape "
                + shape
                + " but parameter "
                + p.name()
                + " expects "
                + expected
                + (expected.equals(p.shape()) ? "" : " (held as " + p.shape() + ")"));
      }
      if (!filled.add(p.name())) {
        tied.add(name);
        continue;
      }
      HostTensor host = checkpoint.read(name);
      if (!expected.equals(p.shape())) { // same bytes, read in the parameter's shape
        host = new HostTensor(host.name(), host.dtype(), p.shape().getShape(), host.data());
      }
      NDArray value = host.toNDArray(store.manager(), floatType);
      p.set(value);
      loaded++;
    }
    List<String> missing = new ArrayList<>();
    for (Parameter p : store.parameters().values()) {
      if (!p.isLoaded()) {
        missing.add(p.name());
      }
    }
    Path source = checkpoint.path();
    LoadReport report = new LoadReport(source, loaded, missing, unexpected, tied);
    if (!unexpected.isEmpty()) {
      LOG.warn("{}: ignoring {} unexpected tensor(s): {}", source, unexpected.size(), unexpected);
    }
    return report;
  }

  private static void checkReshapes(ParameterStore store, Map<String, Shape> checkpointShapes) {
    for (Map.Entry<String, Shape> e : checkpointShapes.entrySet()) {
      Parameter p = store.get(e.getKey());
      if (e.getValue().size() != p.shape().size()) {
        throw new IllegalArgumentException(
            "parameter "
                + p.name()
                + " "
                + p.shape()
                + " cannot be read from a checkpoint tensor of shape "
                + e.getValue()
                + ": the sizes differ");
      }
    }
  }
}
