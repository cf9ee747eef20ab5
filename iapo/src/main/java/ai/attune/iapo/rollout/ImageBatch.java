package ai.attune.iapo.rollout;

import ai.attune.models.CausalLM;
import ai.attune.models.HiddenStateLM;
import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Token rows of different lengths, left-padded into one batch, with every row's images in order
 * (row after row) as the vision tower takes them. All arrays belong to the given manager.
 */
final class ImageBatch {
  final NDArray ids;
  final NDArray mask;
  final long[][] grid;
  final int[] padding; // left padding of each row
  final int width;
  private final List<ProcessedImage> images; // every row's, in order

  private ImageBatch(
      NDArray ids,
      NDArray mask,
      long[][] grid,
      int[] padding,
      int width,
      List<ProcessedImage> images) {
    this.images = images;
    this.ids = ids;
    this.mask = mask;
    this.grid = grid;
    this.padding = padding;
    this.width = width;
  }

  static ImageBatch of(
      List<long[]> rows, List<List<ProcessedImage>> images, long padId, NDManager manager) {
    int width = 0;
    for (long[] r : rows) {
      width = Math.max(width, r.length);
    }
    int b = rows.size();
    long[] ids = new long[b * width];
    long[] mask = new long[b * width];
    int[] padding = new int[b];
    for (int i = 0; i < b; i++) {
      long[] r = rows.get(i);
      padding[i] = width - r.length;
      for (int t = 0; t < width; t++) {
        boolean real = t >= padding[i];
        ids[i * width + t] = real ? r[t - padding[i]] : padId;
        mask[i * width + t] = real ? 1 : 0;
      }
    }
    List<ProcessedImage> all = images.stream().flatMap(List::stream).toList();
    long[][] grid = new long[all.size()][];
    for (int i = 0; i < all.size(); i++) {
      grid[i] = all.get(i).gridThw().clone();
    }
    return new ImageBatch(
        manager.create(ids, new Shape(b, width)),
        manager.create(mask, new Shape(b, width)),
        grid,
        padding,
        width,
        all);
  }

  private static NDArray pixels(List<ProcessedImage> all, NDManager manager) {
    long patchLength = all.get(0).shape()[1];
    long patches = 0;
    for (ProcessedImage p : all) {
      if (p.shape()[1] != patchLength) {
        throw new IllegalArgumentException(
            "images of one batch need the same patch length, got "
                + p.shape()[1]
                + " and "
                + patchLength);
      }
      patches += p.shape()[0];
    }
    float[] flat = new float[Math.toIntExact(patches * patchLength)];
    int at = 0;
    for (int i = 0; i < all.size(); i++) {
      float[] v = all.get(i).pixelValues();
      System.arraycopy(v, 0, flat, at, v.length);
      at += v.length;
    }
    return manager.create(flat, new Shape(patches, patchLength));
  }

  /** As {@link #bind}, typed so that the output head can be applied apart. */
  HiddenStateLM bindHidden(Qwen25VlForConditionalGeneration model) {
    return images.isEmpty()
        ? model
        : model.bindImages(ids, mask, pixels(images, ids.getManager()), grid);
  }

  /**
   * The model bound to this batch as a chunk appended at cache index {@code origin} to rows whose
   * next positions are {@code next} (see {@code continueWith}).
   */
  CausalLM continueWith(Qwen25VlForConditionalGeneration model, long origin, long[] next) {
    return model.continueWith(ids, mask, imageTokens(model), grid, origin, next);
  }

  /**
   * The merged image tokens of every row's images in order, the vision tower run once per distinct
   * image (the G rollouts of a question share its input images) and one image at a time (its
   * attention is block-diagonal over the images of a call, so one call over many images costs the
   * square of their total patches); null without images.
   */
  private NDArray imageTokens(Qwen25VlForConditionalGeneration model) {
    if (images.isEmpty()) {
      return null;
    }
    NDManager m = ids.getManager();
    Map<ProcessedImage, NDArray> once = new IdentityHashMap<>();
    List<NDArray> inOrder = new ArrayList<>();
    for (ProcessedImage p : images) {
      inOrder.add(
          once.computeIfAbsent(
              p,
              k ->
                  model.visionEmbeddings(
                      m.create(k.pixelValues(), new Shape(k.shape()[0], k.shape()[1])),
                      new long[][] {k.gridThw().clone()})));
    }
    return inOrder.size() == 1 ? inOrder.get(0) : NDArrays.concat(new NDList(inOrder), 0);
  }

  /** The model bound to this batch's images (the model itself when there are none). */
  CausalLM bind(Qwen25VlForConditionalGeneration model) {
    return images.isEmpty()
        ? model
        : model.withImages(ids, mask, pixels(images, ids.getManager()), grid);
  }
}
