package ai.attune.models.qwen2vl;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.layers.AttentionMask;
import ai.attune.models.layers.AttentionMasks;
import ai.attune.models.layers.Linear;
import ai.attune.models.layers.Scopes;
import ai.attune.models.layers.Tensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Qwen2.5-VL's vision encoder ({@code visual.*}), as HF's {@code
 * Qwen2_5_VisionTransformerPretrainedModel} computes it: patch embedding, blocks under a 2-D rotary
 * embedding with window attention (full attention per image frame in the {@code
 * fullatt_block_indexes} blocks), the patch merger, then the merged tokens back in image order.
 *
 * <p>Input: {@code pixel_values} as the Qwen2-VL image processor writes them, one flattened patch
 * ({@code channels x temporal x patch x patch}) per row, the patches of each image in merge order
 * (every {@code merge²} consecutive rows form one merged token, the merged tokens row by row). The
 * patch embedding is HF's Conv3d with stride = kernel, which over one patch is a linear layer: its
 * kernel {@code [hidden, C, T, P, P]} is read flattened into {@code visual.patch_embed.proj.weight
 * [hidden, C*T*P*P]} (see {@link #patchEmbedCheckpointShape}).
 *
 * <p>The per-window and per-frame attention are dense attention under block-diagonal masks. All
 * activations belong to the manager of the pixel values.
 */
final class Qwen25VlVisionTower {
  private static final String PATCH_EMBED = "visual.patch_embed.proj";
  private final Qwen25VlVisionConfig config;
  private final ComputeDtype dtype;
  private final Linear patchEmbed;
  private final List<Qwen25VlVisionBlock> blocks = new ArrayList<>();
  private final Qwen25VlPatchMerger merger;
  private final float[] invFreq;

  Qwen25VlVisionTower(ParameterStore store, Qwen25VlVisionConfig c, ComputeDtype dtype) {
    this.config = c;
    this.dtype = dtype;
    patchEmbed = new Linear(store, PATCH_EMBED, c.patchValues(), c.hiddenSize(), false);
    for (int i = 0; i < c.depth(); i++) {
      blocks.add(new Qwen25VlVisionBlock(store, c, i));
    }
    merger = new Qwen25VlPatchMerger(store, c);
    invFreq = inverseFrequencies(c.headDim() / 2, c.ropeTheta());
  }

  /** The patch-embedding weight as the checkpoint holds it: a Conv3d kernel. */
  Shape patchEmbedCheckpointShape() {
    return new Shape(
        config.hiddenSize(),
        config.inChannels(),
        config.temporalPatchSize(),
        config.patchSize(),
        config.patchSize());
  }

  String patchEmbedWeightName() {
    return PATCH_EMBED + ".weight";
  }

  /**
   * Merged image tokens {@code [Σ t·h·w / merge², outHidden]} in the compute type, images in order,
   * each row by row.
   *
   * @param pixelValues {@code [Σ t·h·w, C*T*P*P]}
   * @param gridThw temporal, height and width patches of each image
   */
  NDArray forward(NDArray pixelValues, long[][] gridThw) {
    int patches = checkInputs(pixelValues, gridThw);
    NDManager m = pixelValues.getManager();
    VisionWindowIndex windows =
        VisionWindowIndex.of(gridThw, config.spatialMergeSize(), config.windowTokens());
    long[] patchOrder = patchOrder(windows.order(), config.mergeUnit());
    NDArray pixels = Tensors.as(pixelValues, dtype.dataType(), m);
    NDArray h = patchEmbed.forward(pixels).get(m.create(patchOrder)).expandDims(0);
    NDArray angles =
        m.create(rotaryAngles(gridThw, patchOrder), new Shape(patches, config.headDim()));
    NDArray cos = angles.cos();
    NDArray sin = angles.sin();
    AttentionMask window = blockDiagonal(m, windows.windowStarts(), patches);
    AttentionMask full = blockDiagonal(m, frameStarts(gridThw), patches);
    for (int i = 0; i < blocks.size(); i++) {
      AttentionMask mask = config.fullAttentionBlocks().contains(i) ? full : window;
      NDArray in = h;
      Qwen25VlVisionBlock block = blocks.get(i);
      h = Scopes.keepOnly(() -> block.forward(in, mask, cos, sin));
    }
    NDArray merged = merger.forward(h.squeeze(0));
    return merged.get(m.create(toLongs(windows.inverse())));
  }

  private int checkInputs(NDArray pixelValues, long[][] gridThw) {
    int merge = config.spatialMergeSize();
    long patches = 0;
    for (int i = 0; i < gridThw.length; i++) {
      long[] g = gridThw[i];
      if (g.length != 3
          || g[0] <= 0
          || g[1] <= 0
          || g[2] <= 0
          || g[1] % merge != 0
          || g[2] % merge != 0) {
        throw new IllegalArgumentException(
            "gridThw["
                + i
                + "] = "
                + Arrays.toString(g)
                + " is not (t, h, w) with h and w positive multiples of "
                + merge);
      }
      patches += g[0] * g[1] * g[2];
    }
    Shape s = pixelValues.getShape();
    if (s.dimension() != 2 || s.get(0) != patches || s.get(1) != config.patchValues()) {
      throw new IllegalArgumentException(
          "pixel values have shape "
              + s
              + ", the grids need ["
              + patches
              + ", "
              + config.patchValues()
              + "]");
    }
    return (int) patches;
  }

  /** Patch indexes in window order, from the window order of the merged tokens. */
  private static long[] patchOrder(int[] mergedOrder, int unit) {
    long[] order = new long[mergedOrder.length * unit];
    for (int k = 0; k < mergedOrder.length; k++) {
      for (int u = 0; u < unit; u++) {
        order[k * unit + u] = (long) mergedOrder[k] * unit + u;
      }
    }
    return order;
  }

  /**
   * Rotary angles {@code [N, headDim]} of the patches in {@code patchOrder}: the first quarter of
   * each row rotates by the patch's row in its image, the second by its column, and the second half
   * repeats the first (HF's "rotate half" layout).
   */
  private float[] rotaryAngles(long[][] gridThw, long[] patchOrder) {
    int[][] rowCol = patchRowCol(gridThw, config.spatialMergeSize());
    int quarter = invFreq.length;
    int dim = config.headDim();
    float[] angles = new float[patchOrder.length * dim];
    for (int k = 0; k < patchOrder.length; k++) {
      int[] rc = rowCol[(int) patchOrder[k]];
      for (int i = 0; i < quarter; i++) {
        float byRow = (float) rc[0] * invFreq[i];
        float byCol = (float) rc[1] * invFreq[i];
        angles[k * dim + i] = byRow;
        angles[k * dim + quarter + i] = byCol;
        angles[k * dim + 2 * quarter + i] = byRow;
        angles[k * dim + 3 * quarter + i] = byCol;
      }
    }
    return angles;
  }

  /** (row, column) in its image of every patch, in the input (merge) order. */
  private static int[][] patchRowCol(long[][] gridThw, int merge) {
    List<int[]> out = new ArrayList<>();
    for (long[] g : gridThw) {
      for (int f = 0; f < g[0]; f++) {
        for (int by = 0; by < g[1] / merge; by++) {
          for (int bx = 0; bx < g[2] / merge; bx++) {
            for (int y = 0; y < merge; y++) {
              for (int x = 0; x < merge; x++) {
                out.add(new int[] {by * merge + y, bx * merge + x});
              }
            }
          }
        }
      }
    }
    return out.toArray(new int[0][]);
  }

  /** Frame boundaries in patches: each frame of each image attends over itself. */
  private static int[] frameStarts(long[][] gridThw) {
    List<Integer> starts = new ArrayList<>(List.of(0));
    for (long[] g : gridThw) {
      for (int f = 0; f < g[0]; f++) {
        starts.add(starts.get(starts.size() - 1) + (int) (g[1] * g[2]));
      }
    }
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A mask {@code [1, 1, N, N]} letting each block {@code [starts[i], starts[i+1])} see itself. */
  private static AttentionMask blockDiagonal(NDManager m, int[] starts, int n) {
    float[] segment = new float[n];
    for (int i = 0; i + 1 < starts.length; i++) {
      Arrays.fill(segment, starts[i], starts[i + 1], i);
    }
    NDArray s = m.create(segment);
    NDArray visible = s.reshape(n, 1).eq(s.reshape(1, n)).toType(DataType.FLOAT32, false);
    return AttentionMasks.fromVisible(visible.reshape(1, 1, n, n));
  }

  private static float[] inverseFrequencies(int dim, double theta) {
    float[] out = new float[dim / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (1.0 / Math.pow(theta, (2.0 * i) / dim));
    }
    return out;
  }

  private static long[] toLongs(int[] values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
