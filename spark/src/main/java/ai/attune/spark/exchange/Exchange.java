package ai.attune.spark.exchange;

import java.io.IOException;
import java.util.List;

/**
 * An all-gather among the {@link #size()} workers of a data-parallel run: every worker offers one
 * message per round and gets back every worker's message of that round, in rank order.
 *
 * <p>Lifecycle: built connected (by a rendezvous), used for any number of rounds in which every
 * worker takes part, closed by every worker at the end or on failure. A worker whose peer fails or
 * closes gets an {@link IOException} from its next round instead of waiting for ever.
 */
public interface Exchange extends AutoCloseable {

  /** This worker's rank, 0 to {@code size() - 1}. */
  int rank();

  /** The number of workers. */
  int size();

  /** One round: this worker's message in, every worker's message out (index = rank). */
  List<byte[]> allGather(byte[] message) throws IOException;

  @Override
  void close() throws IOException;
}
