package ai.attune.core.params;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * One named model parameter: its HF name, its declared shape, its kind, whether it trains, and its
 * current value.
 *
 * <p>Lifecycle: declared by a model when it is built (no value yet), given its value once by a
 * checkpoint load or an initialiser (the shape is asserted then), read by layers on every forward
 * pass, and replaced in place by optimizers. The value belongs to the {@link ParameterStore}'s
 * manager and is freed when the store closes.
 */
public final class Parameter {
  private final String name;
  private final Shape shape;
  private final ParamKind kind;
  private boolean trainable;
  private NDArray value;

  Parameter(String name, Shape shape, ParamKind kind, boolean trainable) {
    this.name = name;
    this.shape = shape;
    this.kind = kind;
    this.trainable = trainable;
  }

  public String name() {
    return name;
  }

  public Shape shape() {
    return shape;
  }

  public ParamKind kind() {
    return kind;
  }

  public boolean trainable() {
    return trainable;
  }

  public void setTrainable(boolean trainable) {
    this.trainable = trainable;
  }

  public boolean isLoaded() {
    return value != null;
  }

  /** The current value; fails with the parameter's name if nothing was loaded. */
  public NDArray value() {
    if (value == null) {
      throw new IllegalStateException("parameter " + name + " has no value: it was never loaded");
    }
    return value;
  }

  /**
   * Sets the value after asserting its shape; the previous value, if any, is closed. The array must
   * already belong to the store's manager.
   */
  public void set(NDArray newValue) {
    if (!newValue.getShape().equals(shape)) {
      throw new IllegalArgumentException(
          "shape mismatch for " + name + ": expected " + shape + ", got " + newValue.getShape());
    }
    NDArray old = value;
    value = newValue;
    if (old != null && old != newValue) {
      old.close();
    }
  }

  @Override
  public String toString() {
    return name + shape + (trainable ? "" : " (frozen)");
  }
}
