package ai.attune.models.qwen2vl;

import java.util.ArrayList;
import java.util.List;

/**
 * How the vision tower orders its tokens for window attention, as HF's {@code get_window_index}
 * computes it. Each image frame's grid of merged tokens ({@code h / merge x w / merge}) is cut into
 * windows of {@code window x window} merged tokens from the top left (the last row and column of
 * windows may be partial); the windows are taken row by row, and the tokens of each window row by
 * row. Images follow one another.
 *
 * <p>{@link #order()} lists the merged tokens in window order; {@link #windowStarts()} gives the
 * boundaries of the windows in patches ({@code merge²} patches per merged token), HF's {@code
 * cu_window_seqlens} without repeats.
 */
final class VisionWindowIndex {
  private final int[] order;
  private final int[] windowStarts;

  private VisionWindowIndex(int[] order, int[] windowStarts) {
    this.order = order;
    this.windowStarts = windowStarts;
  }

  /**
   * @param gridThw temporal, height and width patches of each image
   * @param merge patches merged per side ({@code spatial_merge_size})
   * @param window window side in merged tokens
   */
  static VisionWindowIndex of(long[][] gridThw, int merge, int window) {
    List<Integer> order = new ArrayList<>();
    List<Integer> starts = new ArrayList<>(List.of(0));
    int offset = 0;
    for (long[] g : gridThw) {
      int frames = (int) g[0];
      int h = (int) g[1] / merge;
      int w = (int) g[2] / merge;
      int windowsDown = h / window + 1; // HF pads by window - h % window: a whole window if even
      int windowsAcross = w / window + 1;
      for (int f = 0; f < frames; f++) {
        for (int wy = 0; wy < windowsDown; wy++) {
          for (int wx = 0; wx < windowsAcross; wx++) {
            int count =
                addWindow(order, offset + f * h * w, h, w, wy * window, wx * window, window);
            if (count > 0) {
              starts.add(starts.get(starts.size() - 1) + count * merge * merge);
            }
          }
        }
      }
      offset += frames * h * w;
    }
    return new VisionWindowIndex(
        order.stream().mapToInt(Integer::intValue).toArray(),
        starts.stream().mapToInt(Integer::intValue).toArray());
  }

  private static int addWindow(
      List<Integer> order, int frameOffset, int h, int w, int top, int left, int window) {
    int count = 0;
    for (int y = top; y < Math.min(top + window, h); y++) {
      for (int x = left; x < Math.min(left + window, w); x++) {
        order.add(frameOffset + y * w + x);
        count++;
      }
    }
    return count;
  }

  /** Merged-token indexes in window order: position k holds merged token {@code order[k]}. */
  int[] order() {
    return order.clone();
  }

  /** The inverse permutation: merged token j sits at position {@code inverse[j]}. */
  int[] inverse() {
    int[] inv = new int[order.length];
    for (int k = 0; k < order.length; k++) {
      inv[order[k]] = k;
    }
    return inv;
  }

  /** Window boundaries in patches, from 0 to the number of patches. */
  int[] windowStarts() {
    return windowStarts.clone();
  }
}
