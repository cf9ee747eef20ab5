package ai.attune.core.device;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Engine-made 0-d arrays of a few fixed constants (0.5, +1, −1 and the like), one per engine,
 * device, data type and value, made on first use and kept until the process ends in a manager of
 * their own. An op that broadcasts a constant against an array (a comparison, a select) can take
 * one of these instead of a fresh scalar array per call: on small arrays, while the JIT is still
 * warming up, making and freeing that scalar cost more Java time than the op (docs/grzo.md, "Cold
 * steps and the JIT").
 *
 * <p>Never close what {@link #of} returns, and never write into it. A result of an op whose
 * operands include one of these may belong to the constants' manager (libtorch's {@code where} puts
 * its result in its second operand's manager): attach such a result to the caller's manager. Only
 * for a small, fixed set of values: each distinct one stays allocated for the process's life.
 */
public final class EngineConstants {
  private static final Map<Key, NDArray> CONSTANTS = new ConcurrentHashMap<>();
  private static final Map<Owner, NDManager> OWNERS = new ConcurrentHashMap<>();

  private EngineConstants() {}

  private record Owner(String engine, Device device) {}

  private record Key(Owner owner, DataType type, float value) {}

  /**
   * The 0-d array {@code value} of {@code type} on the engine and device of {@code like}, made once
   * and shared; never close it.
   */
  public static NDArray of(NDManager like, float value, DataType type) {
    Key key = new Key(new Owner(like.getEngine().getEngineName(), like.getDevice()), type, value);
    NDArray a = CONSTANTS.get(key);
    if (a != null && !a.isReleased()) {
      return a;
    }
    synchronized (CONSTANTS) {
      a = CONSTANTS.get(key);
      if (a == null || a.isReleased()) {
        a = ownerOf(key.owner()).full(new Shape(), value, type);
        NDScope.unregister(a); // an open NDScope of the caller must not close a shared constant
        CONSTANTS.put(key, a);
      }
      return a;
    }
  }

  private static NDManager ownerOf(Owner owner) {
    NDManager m = OWNERS.get(owner);
    if (m == null || !m.isOpen()) {
      m = NDManager.newBaseManager(owner.device(), owner.engine());
      m.setName("attune engine constants");
      OWNERS.put(owner, m);
    }
    return m;
  }
}
