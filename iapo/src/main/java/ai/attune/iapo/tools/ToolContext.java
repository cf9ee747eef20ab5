package ai.attune.iapo.tools;

import ai.attune.models.qwen2vl.ImageLoader;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The state one rollout's tool calls share: its images and the example's named boxes, plus the
 * counts of its tool calls.
 *
 * <p>Images are addressed by index: first the rollout's input images (0, 1, ...), then each image a
 * tool returned, in the order the calls ran ({@link ToolRegistry} adds them). Input images given as
 * files are read on first use, so an unreadable file fails the call that needs it (an error result)
 * rather than the rollout. Images handed out are shared: tools draw on copies.
 *
 * <p>The named boxes describe input image 0; a tool applies them only to an image of the same size.
 * One context per rollout; not thread-safe.
 */
public final class ToolContext {
  private final List<Supplier<BufferedImage>> sources = new ArrayList<>();
  private final List<BufferedImage> loaded = new ArrayList<>();
  private final NamedBoxes boxes;
  private int attempted;
  private int parseFailures;
  private int runFailures;

  private ToolContext(NamedBoxes boxes) {
    this.boxes = Objects.requireNonNull(boxes, "boxes");
  }

  /** A context over images already in memory. */
  public static ToolContext of(List<BufferedImage> images, NamedBoxes boxes) {
    ToolContext ctx = new ToolContext(boxes);
    for (BufferedImage image : images) {
      ctx.addImage(image);
    }
    return ctx;
  }

  /** A context whose input images are read from {@code files} with {@link ImageLoader} on use. */
  public static ToolContext ofFiles(List<Path> files, NamedBoxes boxes) {
    ToolContext ctx = new ToolContext(boxes);
    for (Path file : files) {
      Objects.requireNonNull(file, "file");
      ctx.sources.add(() -> ImageLoader.load(file));
      ctx.loaded.add(null);
    }
    return ctx;
  }

  /** Number of images: inputs and tool outputs so far. */
  public int imageCount() {
    return sources.size();
  }

  /** Index of the most recent image (the last tool output, or the last input). */
  public int latestImageIndex() {
    if (sources.isEmpty()) {
      throw new ToolException("this conversation has no image");
    }
    return sources.size() - 1;
  }

  /**
   * Image {@code index}, read from its file on first use.
   *
   * @throws ToolException if there is no such image
   * @throws ai.attune.models.qwen2vl.ImageLoadException if its file cannot be read
   */
  public BufferedImage image(int index) {
    if (index < 0 || index >= sources.size()) {
      throw new ToolException(
          "there is no image " + index + "; images are numbered 0 to " + (sources.size() - 1));
    }
    BufferedImage image = loaded.get(index);
    if (image == null) {
      image = ImageLoader.toRgb(sources.get(index).get());
      loaded.set(index, image);
    }
    return image;
  }

  /** Appends an image (a tool output) and returns its index. */
  public int addImage(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    sources.add(() -> image);
    loaded.add(image);
    return sources.size() - 1;
  }

  /** The example's named rows and columns (of image 0); {@link NamedBoxes#EMPTY} when none. */
  public NamedBoxes boxes() {
    return boxes;
  }

  /** The tool calls counted so far. */
  public ToolCallStats stats() {
    return new ToolCallStats(attempted, parseFailures, runFailures);
  }

  void recordParseFailure() {
    attempted++;
    parseFailures++;
  }

  void recordRun(boolean ok) {
    attempted++;
    if (!ok) {
      runFailures++;
    }
  }
}
