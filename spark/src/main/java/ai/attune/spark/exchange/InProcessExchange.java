package ai.attune.spark.exchange;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link Exchange} among threads of one process (tests, and runs of one JVM without Spark):
 * {@link #group} builds the {@code n} connected ends. A round waits until every member has offered
 * its message; a member that closes makes the others' waiting rounds fail.
 */
public final class InProcessExchange implements Exchange {
  private final Group group;
  private final int rank;

  private InProcessExchange(Group group, int rank) {
    this.group = group;
    this.rank = rank;
  }

  /** The {@code n} members of one group, index = rank. */
  public static List<Exchange> group(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("an exchange needs at least one worker, got " + n);
    }
    Group g = new Group(n);
    List<Exchange> out = new ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      out.add(new InProcessExchange(g, r));
    }
    return out;
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public int size() {
    return group.slots.length;
  }

  @Override
  public List<byte[]> allGather(byte[] message) throws IOException {
    return group.round(rank, message.clone());
  }

  @Override
  public void close() {
    group.close();
  }

  /** The shared state: the current round's messages and a generation counter. */
  private static final class Group {
    private final byte[][] slots;
    private int arrived;
    private long generation;
    private List<byte[]> result;
    private boolean closed;

    Group(int n) {
      this.slots = new byte[n][];
    }

    synchronized List<byte[]> round(int rank, byte[] message) throws IOException {
      if (closed) {
        throw new IOException("the exchange is closed (a worker failed or finished)");
      }
      long mine = generation;
      slots[rank] = message;
      if (++arrived == slots.length) {
        result = List.of(slots.clone());
        arrived = 0;
        generation++;
        notifyAll();
        return result;
      }
      while (generation == mine) {
        if (closed) {
          throw new IOException("the exchange was closed while worker " + rank + " waited");
        }
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the other workers", e);
        }
      }
      return result;
    }

    synchronized void close() {
      closed = true;
      notifyAll();
    }
  }
}
