package ai.attune.spark.train;

import ai.attune.models.adapters.TokenCoefficients;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The messages of a data-parallel step, as bytes: step-tagged losses, embedding rows, checksums.
 */
final class Wire {
  private Wire() {}

  /** A worker's losses of step {@code step}. */
  record Losses(long step, double[] plus, double[] minus) {}

  static byte[] losses(long step, double[] plus, double[] minus) {
    return write(
        out -> {
          out.writeLong(step);
          doubles(out, plus);
          doubles(out, minus);
        });
  }

  static Losses readLosses(byte[] b) {
    return read(b, in -> new Losses(in.readLong(), doubles(in), doubles(in)));
  }

  /** A step number and a weight checksum. */
  record Checksum(long step, long value) {}

  static byte[] checksum(long step, long value) {
    return write(
        out -> {
          out.writeLong(step);
          out.writeLong(value);
        });
  }

  static Checksum readChecksum(byte[] b) {
    return read(b, in -> new Checksum(in.readLong(), in.readLong()));
  }

  static byte[] rows(Map<String, TokenCoefficients> rows) {
    return write(
        out -> {
          out.writeInt(rows.size());
          for (Map.Entry<String, TokenCoefficients> e : rows.entrySet()) {
            out.writeUTF(e.getKey());
            long[] ids = e.getValue().ids();
            out.writeInt(ids.length);
            for (long id : ids) {
              out.writeLong(id);
            }
            doubles(out, e.getValue().coefficients());
          }
        });
  }

  static Map<String, TokenCoefficients> readRows(byte[] b) {
    return read(
        b,
        in -> {
          int n = in.readInt();
          Map<String, TokenCoefficients> out = new LinkedHashMap<>();
          for (int k = 0; k < n; k++) {
            String name = in.readUTF();
            long[] ids = new long[in.readInt()];
            for (int i = 0; i < ids.length; i++) {
              ids[i] = in.readLong();
            }
            out.put(name, new TokenCoefficients(ids, doubles(in)));
          }
          return out;
        });
  }

  private static void doubles(DataOutputStream out, double[] v) throws IOException {
    out.writeInt(v.length);
    for (double d : v) {
      out.writeDouble(d);
    }
  }

  private static double[] doubles(DataInputStream in) throws IOException {
    double[] v = new double[in.readInt()];
    for (int i = 0; i < v.length; i++) {
      v[i] = in.readDouble();
    }
    return v;
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] write(Writer w) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      w.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static <T> T read(byte[] b, Reader<T> r) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
      return r.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt exchange message", e);
    }
  }
}
