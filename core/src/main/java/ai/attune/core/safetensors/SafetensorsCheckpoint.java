package ai.attune.core.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights of one model, in a single safetensors file or sharded HF-style behind an index.
 *
 * <p>{@link #open} accepts a {@code .safetensors} file, a {@code model.safetensors.index.json}, or
 * a folder holding either (the index wins when both exist). Every shard's header is opened and
 * validated up front, and every index entry is checked against its shard, so reads never fail on
 * structure. Close the checkpoint to release the shard files.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {
  /** File name of an unsharded checkpoint inside a model folder. */
  public static final String SINGLE_FILE = "model.safetensors";

  /** File name of the shard index inside a model folder. */
  public static final String INDEX_FILE = "model.safetensors.index.json";

  private final Path path;
  private final Map<String, SafetensorsFile> fileOf;
  private final List<SafetensorsFile> files;
  private final Map<String, String> metadata;

  private SafetensorsCheckpoint(
      Path path,
      Map<String, SafetensorsFile> fileOf,
      List<SafetensorsFile> files,
      Map<String, String> metadata) {
    this.path = path;
    this.fileOf = Collections.unmodifiableMap(fileOf);
    this.files = List.copyOf(files);
    this.metadata = Collections.unmodifiableMap(metadata);
  }

  /** Opens a checkpoint file, index or folder; see the class comment. */
  public static SafetensorsCheckpoint open(Path fileOrDir) {
    if (Files.isDirectory(fileOrDir)) {
      Path index = fileOrDir.resolve(INDEX_FILE);
      Path single = fileOrDir.resolve(SINGLE_FILE);
      if (Files.isRegularFile(index)) {
        return sharded(index);
      }
      if (Files.isRegularFile(single)) {
        return single(single);
      }
      throw new SafetensorsException(
          fileOrDir, "folder holds neither " + SINGLE_FILE + " nor " + INDEX_FILE, null);
    }
    if (!Files.exists(fileOrDir)) {
      throw new SafetensorsException(fileOrDir, "no such file or folder");
    }
    String name = fileOrDir.getFileName().toString();
    return name.endsWith(".json") ? sharded(fileOrDir) : single(fileOrDir);
  }

  private static SafetensorsCheckpoint single(Path file) {
    SafetensorsFile f = SafetensorsFile.open(file);
    Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
    f.tensors().keySet().forEach(n -> fileOf.put(n, f));
    return new SafetensorsCheckpoint(file, fileOf, List.of(f), f.metadata());
  }

  private static SafetensorsCheckpoint sharded(Path index) {
    JsonNode root = readIndex(index);
    JsonNode weightMap = root.get("weight_map");
    if (weightMap == null || !weightMap.isObject()) {
      throw new SafetensorsException(index, "index has no 'weight_map' object");
    }
    Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
    Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, JsonNode> e : weightMap.properties()) {
        SafetensorsFile shard = shard(index, e.getKey(), e.getValue(), shards);
        if (!shard.contains(e.getKey())) {
          throw new SafetensorsException(
              shard.path(),
              e.getKey(),
              "index " + index + " places the tensor in this shard," + " which does not hold it",
              null);
        }
        fileOf.put(e.getKey(), shard);
      }
    } catch (RuntimeException e) {
      closeAll(shards.values(), e);
      throw e;
    }
    return new SafetensorsCheckpoint(
        index, fileOf, new ArrayList<>(shards.values()), indexMetadata(root));
  }

  private static JsonNode readIndex(Path index) {
    JsonNode root;
    try {
      root = Header.JSON.readTree(Files.readAllBytes(index));
    } catch (IOException e) {
      throw new SafetensorsException(index, "cannot read the index: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new SafetensorsException(index, "index is not a JSON object");
    }
    return root;
  }

  private static SafetensorsFile shard(
      Path index, String tensor, JsonNode value, Map<String, SafetensorsFile> shards) {
    if (!value.isTextual()) {
      throw new SafetensorsException(index, tensor, "weight_map value is not a file name", null);
    }
    SafetensorsFile open = shards.get(value.asText());
    if (open != null) {
      return open;
    }
    Path folder = index.toAbsolutePath().getParent();
    Path file = folder.resolve(value.asText()).normalize();
    if (!file.startsWith(folder)) {
      throw new SafetensorsException(
          index, tensor, "shard '" + value.asText() + "' lies outside the index's folder", null);
    }
    if (!Files.isRegularFile(file)) {
      throw new SafetensorsException(
          file, tensor, "shard file named in " + index + " is missing", null);
    }
    SafetensorsFile shard = SafetensorsFile.open(file);
    shards.put(value.asText(), shard);
    return shard;
  }

  private static Map<String, String> indexMetadata(JsonNode root) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode meta = root.get("metadata");
    if (meta != null && meta.isObject()) {
      meta.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  /** The file, or index, this checkpoint was opened from. */
  public Path path() {
    return path;
  }

  /**
   * Every floating-point tensor of the checkpoint at {@code fileOrDir} widened to float32, by name
   * in header or index order: for comparing small checkpoints (a trained model against its base, a
   * replay against the run). Integer buffers are left out.
   */
  public static Map<String, float[]> readFloats(Path fileOrDir) {
    Map<String, float[]> out = new java.util.LinkedHashMap<>();
    try (SafetensorsCheckpoint c = open(fileOrDir)) {
      for (String name : c.names()) {
        if (c.info(name).dtype().isFloating()) {
          out.put(name, c.read(name).toFloats());
        }
      }
    }
    return out;
  }

  /** Tensor names, in header or index order. */
  public Set<String> names() {
    return fileOf.keySet();
  }

  public boolean contains(String name) {
    return fileOf.containsKey(name);
  }

  /** The index metadata (values as text) of a sharded checkpoint, else the file's metadata. */
  public Map<String, String> metadata() {
    return metadata;
  }

  public TensorInfo info(String name) {
    return file(name).info(name);
  }

  /** Maps the tensor's bytes from its shard; see {@link SafetensorsFile#read}. */
  public HostTensor read(String name) {
    return file(name).read(name);
  }

  /** Builds the tensor as an NDArray; see {@link SafetensorsFile#toNDArray}. */
  public NDArray toNDArray(String name, NDManager manager, DataType floatTarget) {
    return file(name).toNDArray(name, manager, floatTarget);
  }

  /** The file that holds {@code name}. */
  public Path fileOf(String name) {
    return file(name).path();
  }

  /** The open files (one, or every shard). */
  public List<SafetensorsFile> files() {
    return files;
  }

  private SafetensorsFile file(String name) {
    SafetensorsFile f = fileOf.get(name);
    if (f == null) {
      throw new SafetensorsException(
          path, name, "no such tensor in the checkpoint" + NameHints.similar(name, names()), null);
    }
    return f;
  }

  @Override
  public void close() {
    closeAll(files, null);
  }

  private static void closeAll(Iterable<SafetensorsFile> files, RuntimeException pending) {
    RuntimeException first = pending;
    for (SafetensorsFile f : files) {
      try {
        f.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (pending == null && first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return "SafetensorsCheckpoint["
        + path
        + ", "
        + fileOf.size()
        + " tensors in "
        + files.size()
        + " file(s)]";
  }
}
