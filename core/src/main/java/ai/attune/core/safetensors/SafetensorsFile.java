package ai.attune.core.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * One open safetensors file: its header, and its tensors mapped from disk on demand.
 *
 * <p>Lifecycle: {@link #open} reads and validates the whole header (no tensor data) so that every
 * later read lies inside the file; {@link #read} maps just one tensor's byte range read-only;
 * {@link #close} releases the channel. Mappings already handed out stay valid after close. Reads
 * are safe from several threads.
 */
public final class SafetensorsFile implements AutoCloseable {
  private final Path path;
  private final FileChannel channel;
  private final Header header;

  private SafetensorsFile(Path path, FileChannel channel, Header header) {
    this.path = path;
    this.channel = channel;
    this.header = header;
  }

  /**
   * Opens {@code file} and validates its header.
   *
   * @throws SafetensorsException naming the file when it is missing, unreadable or malformed
   */
  public static SafetensorsFile open(Path file) {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new SafetensorsException(file, "no such file", e);
    } catch (IOException e) {
      throw new SafetensorsException(file, "cannot open: " + e, e);
    }
    try {
      return new SafetensorsFile(file, channel, Header.read(file, channel));
    } catch (IOException e) {
      closeQuietly(channel);
      throw new SafetensorsException(file, "cannot read the header: " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /** Every tensor of the header, in header order. */
  public Map<String, TensorInfo> tensors() {
    return header.tensors();
  }

  /** The {@code __metadata__} strings (empty when the file has none). */
  public Map<String, String> metadata() {
    return header.metadata();
  }

  /** Absolute file offset of the data section. */
  public long dataStart() {
    return header.dataStart();
  }

  public boolean contains(String name) {
    return header.tensors().containsKey(name);
  }

  /** The header entry of {@code name}; fails naming the file, the tensor and similar names. */
  public TensorInfo info(String name) {
    TensorInfo info = header.tensors().get(name);
    if (info == null) {
      throw new SafetensorsException(
          path, name, "no such tensor" + NameHints.similar(name, header.tensors().keySet()), null);
    }
    return info;
  }

  /** Maps the tensor's bytes (read-only, little-endian); at most 2 GiB, else use toNDArray. */
  public HostTensor read(String name) {
    TensorInfo info = info(name);
    return new HostTensor(name, info.dtype(), info.shape(), map(info, 0, info.numel()));
  }

  /**
   * Maps {@code count} consecutive elements (C order) of a tensor starting at element {@code
   * first}, as a flat tensor of shape {@code [count]}: the way to stream a tensor past 2 GiB.
   */
  public HostTensor readElements(String name, long first, long count) {
    TensorInfo info = info(name);
    if (first < 0 || count < 0 || first > info.numel() - count) {
      throw new SafetensorsException(
          path,
          name,
          count
              + " elements from element "
              + first
              + " are not all inside its "
              + info.numel()
              + " elements",
          null);
    }
    return new HostTensor(name, info.dtype(), new long[] {count}, map(info, first, count));
  }

  /**
   * Builds the tensor as an NDArray (see {@link HostTensor#toNDArray}), mapping it in chunks, so
   * tensors larger than one Java buffer (2 GiB) load too.
   */
  public NDArray toNDArray(String name, NDManager manager, DataType floatTarget) {
    TensorInfo info = info(name);
    NDArrayLoader.Slicer slicer = (first, count) -> map(info, first, count);
    try {
      return NDArrayLoader.load(
          info.dtype(), info.shape(), slicer, manager, floatTarget, NDArrayLoader.CHUNK_BYTES);
    } catch (IllegalStateException e) {
      throw new SafetensorsException(path, name, e.getMessage(), e);
    }
  }

  private ByteBuffer map(TensorInfo info, long first, long count) {
    long width = info.dtype().byteSize();
    long length = count * width;
    if (length > Integer.MAX_VALUE) {
      throw new SafetensorsException(
          path,
          info.name(),
          length
              + " bytes are more than one buffer holds (2 GiB);"
              + " use toNDArray or readElements",
          null);
    }
    long position = header.dataStart() + info.begin() + first * width;
    try {
      if (position + length > channel.size()) {
        throw new SafetensorsException(
            path,
            info.name(),
            "file shrank to "
                + channel.size()
                + " bytes since it was opened;"
                + " the tensor ends at "
                + (position + length),
            null);
      }
      if (length == 0) {
        return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
      }
      return channel
          .map(FileChannel.MapMode.READ_ONLY, position, length)
          .order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      String why = channel.isOpen() ? "cannot map the tensor: " + e : "file is closed";
      throw new SafetensorsException(path, info.name(), why, e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new SafetensorsException(path, "cannot close: " + e, e);
    }
  }

  @Override
  public String toString() {
    return "SafetensorsFile[" + path + ", " + header.tensors().size() + " tensors]";
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // the open failure is the error worth reporting
    }
  }
}
