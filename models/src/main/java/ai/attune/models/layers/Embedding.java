package ai.attune.models.layers;

import ai.attune.core.params.ParamKind;
import ai.attune.core.params.Parameter;
import ai.attune.core.params.ParameterStore;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;

/** A lookup table of {@code rows x dim} vectors declared as {@code name.weight}. */
public class Embedding {
  private final Parameter weight;

  public Embedding(ParameterStore store, String name, int rows, int dim) {
    this.weight = store.declare(name + ".weight", new Shape(rows, dim), ParamKind.EMBEDDING);
  }

  /** Rows of the table for integer {@code ids} of any shape: result shape ids.shape + [dim]. */
  public NDArray forward(NDArray ids) {
    // the ids are the first operand, so the result stays in the caller's manager
    return ids.getNDArrayInternal()
        .embedding(ids, weight.value(), SparseFormat.DENSE)
        .singletonOrThrow();
  }

  public Parameter weight() {
    return weight;
  }
}
