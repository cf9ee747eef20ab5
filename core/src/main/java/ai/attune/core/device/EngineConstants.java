package ai.attune.core.device;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Engine-made arrays of a few fixed constants (0-d: 0.5, +1, −1 and the like; vectors: a layer
 * norm's unit gain and zero shift), one per engine, device, data type, length and value, made on
 * first use and kept until the process ends in a manager of their own. An op that broadcasts a
 * constant against an array (a comparison, a select) can take one of these instead of a fresh
 * scalar array per call: on small arrays, while the JIT is still warming up, making and freeing
 * that scalar cost more Java time than the op (docs/grzo.md, "Cold steps and the JIT").
 *
 * <p>Never close what {@link #of} or {@link #vector} returns, and never write into it. A result of
 * an op whose operands include one of these may belong to the constants' manager (libtorch's {@code
 * where} puts its result in its second operand's manager): attach such a result to the caller's
 * manager. Only for a small, fixed set of values and lengths: each distinct one stays allocated for
 * the process's life.
 */
public final class EngineConstants {
  // Copy-on-write list, searched from the front: a handful of entries, compared field by field,
  // because a record key's generated hashCode and equals run through method handles, which in the
  // interpreter cost about ten times a plain comparison (docs/grzo.md, "Cold steps and the JIT").
  private static volatile Constant[] constants = new Constant[0];
  private static final Map<String, NDManager> OWNERS = new HashMap<>(); // guarded by the class
  private static final int SCALAR = -1; // the length that stands for a 0-d constant

  private EngineConstants() {}

  /** One shared constant: the manager class stands for the engine. */
  private static final class Constant {
    final Class<?> managerType;
    final Device device;
    final DataType type;
    final int valueBits;
    final int length; // SCALAR for a 0-d array
    final NDArray array;

    Constant(
        Class<?> managerType,
        Device device,
        DataType type,
        int valueBits,
        int length,
        NDArray array) {
      this.managerType = managerType;
      this.device = device;
      this.type = type;
      this.valueBits = valueBits;
      this.length = length;
      this.array = array;
    }

    boolean isFor(Class<?> managerType, Device device, DataType type, int valueBits, int length) {
      return this.valueBits == valueBits
          && this.length == length
          && this.type == type
          && this.managerType == managerType
          && this.device.equals(device)
          && !array.isReleased();
    }
  }

  /**
   * The 0-d array {@code value} of {@code type} on the engine and device of {@code like}, made once
   * and shared; never close it.
   */
  public static NDArray of(NDManager like, float value, DataType type) {
    return find(like, value, type, SCALAR);
  }

  /**
   * The vector of {@code length} copies of {@code value} ({@code [length]}) of {@code type} on the
   * engine and device of {@code like}, made once and shared; never close it.
   */
  public static NDArray vector(NDManager like, int length, float value, DataType type) {
    if (length < 0) {
      throw new IllegalArgumentException("a constant vector needs length >= 0, got " + length);
    }
    return find(like, value, type, length);
  }

  private static NDArray find(NDManager like, float value, DataType type, int length) {
    Class<?> managerType = like.getClass();
    Device device = like.getDevice();
    int bits = Float.floatToIntBits(value);
    for (Constant c : constants) {
      if (c.isFor(managerType, device, type, bits, length)) {
        return c.array;
      }
    }
    return make(like, type, value, length);
  }

  private static synchronized NDArray make(NDManager like, DataType type, float value, int length) {
    Class<?> managerType = like.getClass();
    Device device = like.getDevice();
    int bits = Float.floatToIntBits(value);
    List<Constant> kept = new ArrayList<>();
    for (Constant c : constants) {
      if (c.isFor(managerType, device, type, bits, length)) {
        return c.array; // made by another thread meanwhile
      }
      if (!c.array.isReleased()) {
        kept.add(c);
      }
    }
    Shape shape = length == SCALAR ? new Shape() : new Shape(length);
    NDArray a = ownerOf(like).full(shape, value, type);
    NDScope.unregister(a); // an open NDScope of the caller must not close a shared constant
    kept.add(new Constant(managerType, device, type, bits, length, a));
    constants = kept.toArray(new Constant[0]);
    return a;
  }

  private static NDManager ownerOf(NDManager like) {
    String engine = like.getEngine().getEngineName();
    Device device = like.getDevice();
    String key = engine + " " + device;
    NDManager m = OWNERS.get(key);
    if (m == null || !m.isOpen()) {
      m = NDManager.newBaseManager(device, engine);
      m.setName("attune engine constants");
      OWNERS.put(key, m);
    }
    return m;
  }
}
