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
      if (!shape.equals(p.shape())) {
        throw new IllegalArgumentException(
            checkpoint.fileOf(name) + ": tensor " + name + " has shape " + shape
                + " but parameter " + p.name() + " expects " + p.shape());
      }
      if (!filled.add(p.name())) {
        tied.add(name);
        continue;
      }
      HostTensor host = checkpoint.read(name);
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
}
