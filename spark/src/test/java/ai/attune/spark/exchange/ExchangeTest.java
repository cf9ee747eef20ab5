package ai.attune.spark.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Both exchanges gather every worker's message in rank order, round after round, and fail fast. */
@Tag("pure")
class ExchangeTest {

  /** Three TCP workers on loopback, connected as the barrier task connects them. */
  private static List<Exchange> tcp(int n, long timeoutMillis) throws Exception {
    List<TcpExchange.Listener> listeners = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      listeners.add(TcpExchange.listen("127.0.0.1"));
      addresses.add(listeners.get(r).address());
    }
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Exchange>> connected = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        int rank = r;
        connected.add(
            pool.submit(
                () -> (Exchange) listeners.get(rank).connect(rank, addresses, timeoutMillis)));
      }
      List<Exchange> out = new ArrayList<>();
      for (Future<Exchange> f : connected) {
        out.add(f.get(30, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdown();
    }
  }

  private static void gathersInRankOrder(List<Exchange> group) throws Exception {
    int n = group.size();
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (Exchange e : group) {
        results.add(
            pool.submit(
                () -> {
                  List<String> seen = new ArrayList<>();
                  for (int round = 0; round < 50; round++) {
                    byte[] mine = ("r" + round + "w" + e.rank()).getBytes();
                    for (byte[] m : e.allGather(mine)) {
                      seen.add(new String(m));
                    }
                  }
                  return seen;
                }));
      }
      List<String> expected = new ArrayList<>();
      for (int round = 0; round < 50; round++) {
        for (int w = 0; w < n; w++) {
          expected.add("r" + round + "w" + w);
        }
      }
      for (Future<List<String>> f : results) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
      }
    } finally {
      pool.shutdown();
      for (Exchange e : group) {
        e.close();
      }
    }
  }

  @Test
  void tcpExchangeGathersEveryRoundInRankOrder() throws Exception {
    gathersInRankOrder(tcp(3, 30_000));
  }

  @Test
  void inProcessExchangeGathersEveryRoundInRankOrder() throws Exception {
    gathersInRankOrder(InProcessExchange.group(3));
  }

  @Test
  void aWorkerThatClosesMakesTheOthersRoundsFailInsteadOfHanging() throws Exception {
    List<Exchange> group = tcp(2, 30_000);
    group.get(1).close();
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> group.get(0).allGather(new byte[] {1}))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("worker 1 closed the exchange");
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5);
    group.get(0).close();

    List<Exchange> local = InProcessExchange.group(2);
    local.get(0).close();
    assertThatThrownBy(() -> local.get(1).allGather(new byte[] {1}))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aRoundThatNobodyAnswersTimesOut() throws Exception {
    List<Exchange> group = tcp(2, 1_500);
    assertThatThrownBy(() -> group.get(1).allGather(new byte[] {1}))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("within 1500 ms");
    for (Exchange e : group) {
      e.close();
    }
  }
}
