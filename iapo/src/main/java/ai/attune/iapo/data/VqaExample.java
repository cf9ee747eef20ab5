package ai.attune.iapo.data;

import ai.attune.iapo.tools.NamedBoxes;
import ai.attune.iapo.tools.ToolContext;
import ai.attune.models.qwen2vl.ImageLoader;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One visual question: its image files, question, gold answer and the named boxes of its first
 * image. Images are read only when asked for ({@link #loadImages}, or by a tool through {@link
 * #toolContext}); the loader has checked that the files exist.
 *
 * @param id the example's id (from the file, or {@code <file name>:<line>})
 * @param images absolute paths, at least one
 * @param source the benchmark or generator it came from; may be null
 * @param origin where it was read: {@code file:line} or {@code file#key}
 */
public record VqaExample(
    String id,
    List<Path> images,
    String question,
    String answer,
    NamedBoxes boxes,
    String source,
    String origin) {

  public VqaExample {
    Objects.requireNonNull(id, "id");
    images = List.copyOf(images);
    if (images.isEmpty()) {
      throw new IllegalArgumentException("an example needs at least one image");
    }
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(answer, "answer");
    Objects.requireNonNull(boxes, "boxes");
    Objects.requireNonNull(origin, "origin");
  }

  /** Reads the images as RGB. */
  public List<BufferedImage> loadImages() {
    return images.stream().map(ImageLoader::load).toList();
  }

  /** A fresh tool context for one rollout on this example (images read on first use). */
  public ToolContext toolContext() {
    return ToolContext.ofFiles(images, boxes);
  }
}
