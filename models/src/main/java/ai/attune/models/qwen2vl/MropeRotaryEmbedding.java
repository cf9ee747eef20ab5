package ai.attune.models.qwen2vl;

import ai.attune.models.layers.RopeParameters;
import ai.attune.models.layers.RotaryEmbedding;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Qwen2.5-VL's multimodal rotary embedding: the {@code headDim / 2} frequencies are split into
 * three consecutive sections ({@code mrope_section}), rotated by the temporal, height and width
 * position of each token respectively, in HF's "rotate half" layout (the second half of the angles
 * repeats the first). With equal positions on the three axes (text) it is the plain rotary
 * embedding.
 *
 * <p>Lifecycle: built once per model; each forward pass asks for the tables of its positions in its
 * own manager. Angles are {@code float(position) * invFreq} in float32, as HF computes them.
 */
final class MropeRotaryEmbedding {
  private final float[] invFreq;
  private final int[] axisOf; // the position axis of each frequency

  MropeRotaryEmbedding(RopeParameters rope, List<Integer> section) {
    this.invFreq = RotaryEmbedding.inverseFrequencies(rope);
    this.axisOf = new int[invFreq.length];
    int i = 0;
    for (int axis = 0; axis < 3; axis++) {
      for (int k = 0; k < section.get(axis); k++) {
        axisOf[i++] = axis;
      }
    }
    if (i != invFreq.length) {
      throw new IllegalArgumentException(
          "mrope_section "
              + section
              + " covers "
              + i
              + " frequencies, the rotary embedding has "
              + invFreq.length);
    }
  }

  /**
   * Float32 cos and sin {@code [B, 1, T, headDim]} (broadcasting over heads) for positions {@code
   * [3][B][T]}, in {@code m}.
   */
  NDArray[] cosSin(NDManager m, long[][][] positions) {
    int rows = positions[0].length;
    int length = rows == 0 ? 0 : positions[0][0].length;
    int half = invFreq.length;
    float[] angles = new float[rows * length * 2 * half];
    for (int b = 0; b < rows; b++) {
      for (int t = 0; t < length; t++) {
        int at = (b * length + t) * 2 * half;
        for (int i = 0; i < half; i++) {
          float angle = (float) positions[axisOf[i]][b][t] * invFreq[i];
          angles[at + i] = angle;
          angles[at + half + i] = angle;
        }
      }
    }
    NDArray a = m.create(angles, new Shape(rows, 1, length, 2L * half));
    return new NDArray[] {a.cos(), a.sin()};
  }
}
