package ai.attune.spark.exchange;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link Exchange} over TCP, star-shaped: every worker sends its message to rank 0, which sends
 * the whole round back to each. A round is two small writes per worker, about 0.1 ms on one host.
 *
 * <p>Lifecycle: every worker {@link #listen}s first, the workers share their {@link
 * Listener#address()} by a rendezvous (Spark's {@code BarrierTaskContext.allGather}), then each
 * calls {@link Listener#connect} with the addresses in rank order. Reads poll every second so that
 * an interrupted (killed) task stops waiting, and fail after {@code roundTimeoutMillis}; a peer
 * that dies closes its socket and the others' rounds fail at once.
 */
public final class TcpExchange implements Exchange {
  private static final int POLL_MILLIS = 1000;

  private final int rank;
  private final int size;
  private final long roundTimeoutMillis;
  private final Socket[] peers;
  private final DataOutputStream[] out;

  private TcpExchange(int rank, int size, long roundTimeoutMillis, Socket[] peers)
      throws IOException {
    this.rank = rank;
    this.size = size;
    this.roundTimeoutMillis = roundTimeoutMillis;
    this.peers = peers;
    this.out = new DataOutputStream[peers.length];
    for (int i = 0; i < peers.length; i++) {
      if (peers[i] != null) {
        peers[i].setTcpNoDelay(true);
        peers[i].setSoTimeout(POLL_MILLIS);
        out[i] = new DataOutputStream(new BufferedOutputStream(peers[i].getOutputStream()));
      }
    }
  }

  /** Opens this worker's listening socket on {@code host} (an ephemeral port). */
  public static Listener listen(String host) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
    return new Listener(server, host);
  }

  /** A worker's listening socket, before the workers know each other's addresses. */
  public static final class Listener implements AutoCloseable {
    private final ServerSocket server;
    private final String host;

    private Listener(ServerSocket server, String host) {
      this.server = server;
      this.host = host;
    }

    /** {@code host:port}, the message this worker gives the rendezvous. */
    public String address() {
      return host + ":" + server.getLocalPort();
    }

    /**
     * Connects the workers: rank 0 accepts one connection from every other rank, the others connect
     * to rank 0's address. Closes the listening socket.
     *
     * @param addresses every worker's {@link #address()}, index = rank
     */
    public TcpExchange connect(int rank, List<String> addresses, long roundTimeoutMillis)
        throws IOException {
      int n = addresses.size();
      if (rank < 0 || rank >= n) {
        throw new IllegalArgumentException("rank " + rank + " outside 0.." + (n - 1));
      }
      try (server) {
        Socket[] peers = new Socket[n];
        if (rank == 0) {
          server.setSoTimeout((int) Math.min(Integer.MAX_VALUE, roundTimeoutMillis));
          for (int k = 1; k < n; k++) {
            Socket s = server.accept();
            int from = readHello(s);
            if (from < 1 || from >= n || peers[from] != null) {
              s.close();
              throw new IOException("rendezvous: unexpected hello from rank " + from);
            }
            peers[from] = s;
          }
        } else {
          String[] hostPort = addresses.get(0).split(":");
          Socket s = new Socket();
          s.connect(
              new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])),
              (int) Math.min(Integer.MAX_VALUE, roundTimeoutMillis));
          DataOutputStream hello = new DataOutputStream(s.getOutputStream());
          hello.writeInt(rank);
          hello.flush();
          peers[0] = s;
        }
        return new TcpExchange(rank, n, roundTimeoutMillis, peers);
      }
    }

    private static int readHello(Socket s) throws IOException {
      byte[] b = new byte[4];
      InputStream in = s.getInputStream();
      for (int off = 0; off < 4; ) {
        int r = in.read(b, off, 4 - off);
        if (r < 0) {
          throw new IOException("rendezvous: a worker hung up before saying its rank");
        }
        off += r;
      }
      return ByteBuffer.wrap(b).getInt();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public List<byte[]> allGather(byte[] message) throws IOException {
    if (size == 1) {
      return List.of(message.clone());
    }
    long deadline = System.currentTimeMillis() + roundTimeoutMillis;
    if (rank != 0) {
      write(0, message);
      out[0].flush();
      int n = readInt(0, deadline);
      List<byte[]> all = new ArrayList<>(n);
      for (int r = 0; r < n; r++) {
        all.add(readMessage(0, deadline));
      }
      return all;
    }
    List<byte[]> all = new ArrayList<>(size);
    all.add(message.clone());
    for (int r = 1; r < size; r++) {
      all.add(readMessage(r, deadline));
    }
    for (int r = 1; r < size; r++) {
      out[r].writeInt(size);
      for (byte[] m : all) {
        write(r, m);
      }
      out[r].flush();
    }
    return all;
  }

  private void write(int peer, byte[] m) throws IOException {
    out[peer].writeInt(m.length);
    out[peer].write(m);
  }

  private byte[] readMessage(int peer, long deadline) throws IOException {
    int length = readInt(peer, deadline);
    if (length < 0) {
      throw new IOException("corrupt exchange message of length " + length + " from " + peer);
    }
    byte[] b = new byte[length];
    readFully(peer, b, deadline);
    return b;
  }

  private int readInt(int peer, long deadline) throws IOException {
    byte[] b = new byte[4];
    readFully(peer, b, deadline);
    return ByteBuffer.wrap(b).getInt();
  }

  private void readFully(int peer, byte[] b, long deadline) throws IOException {
    InputStream in = peers[peer].getInputStream();
    int off = 0;
    while (off < b.length) {
      try {
        int r = in.read(b, off, b.length - off);
        if (r < 0) {
          throw new IOException(
              "worker " + peer + " closed the exchange (it failed or" + " finished)");
        }
        off += r;
      } catch (SocketTimeoutException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw new IOException("interrupted while waiting for worker " + peer, e);
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IOException(
              "no message from worker " + peer + " within " + roundTimeoutMillis + " ms", e);
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Socket s : peers) {
      if (s != null) {
        try {
          s.close();
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
