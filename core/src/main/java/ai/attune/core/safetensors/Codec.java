package ai.attune.core.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * Bulk conversions between little-endian safetensors bytes and Java values.
 *
 * <p>Sources are read through typed views ({@code asFloatBuffer} and friends) of a buffer ordered
 * little-endian, so byte order is handled by the JDK and same-order copies are plain memory copies.
 */
final class Codec {
  private Codec() {}

  /** Decodes every element of {@code src} (little-endian {@code dtype}) into {@code dst}. */
  static void decodeFloats(SafetensorsDtype dtype, ByteBuffer src, FloatBuffer dst) {
    ByteBuffer s = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case F32 -> dst.put(s.asFloatBuffer());
      case F64 -> {
        DoubleBuffer d = s.asDoubleBuffer();
        while (d.hasRemaining()) {
          dst.put((float) d.get());
        }
      }
      case F16 -> {
        ShortBuffer h = s.asShortBuffer();
        while (h.hasRemaining()) {
          dst.put(HalfFloats.halfToFloat(h.get()));
        }
      }
      case BF16 -> {
        ShortBuffer h = s.asShortBuffer();
        while (h.hasRemaining()) {
          dst.put(HalfFloats.bf16ToFloat(h.get()));
        }
      }
      default -> {
        int n = s.remaining() / dtype.byteSize();
        for (int i = 0; i < n; i++) {
          dst.put(longAt(dtype, s, i));
        }
      }
    }
  }

  /** Decodes every element of {@code src} (a little-endian integer or bool dtype) into dst. */
  static void decodeLongs(SafetensorsDtype dtype, ByteBuffer src, long[] dst) {
    ByteBuffer s = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (dtype == SafetensorsDtype.I64) {
      s.asLongBuffer().get(dst);
      return;
    }
    for (int i = 0; i < dst.length; i++) {
      dst[i] = longAt(dtype, s, i);
    }
  }

  /** Element {@code i} (counted from s's position) of a little-endian integer or bool buffer. */
  private static long longAt(SafetensorsDtype dtype, ByteBuffer s, int i) {
    int p = s.position();
    return switch (dtype) {
      case I64 -> s.getLong(p + 8 * i);
      case I32 -> s.getInt(p + 4 * i);
      case I16 -> s.getShort(p + 2 * i);
      case I8, BOOL -> s.get(p + i);
      case U8 -> s.get(p + i) & 0xff;
      default -> throw new IllegalArgumentException(dtype + " is not an integer dtype");
    };
  }

  /** Encodes floats as little-endian {@code target} bytes (a floating dtype), rounding to even. */
  static ByteBuffer encodeFloats(SafetensorsDtype target, float[] values) {
    ByteBuffer out = allocate((long) values.length * target.byteSize());
    switch (target) {
      case F32 -> out.asFloatBuffer().put(values);
      case F64 -> {
        DoubleBuffer d = out.asDoubleBuffer();
        for (float v : values) {
          d.put(v);
        }
      }
      case F16 -> {
        ShortBuffer h = out.asShortBuffer();
        for (float v : values) {
          h.put(HalfFloats.floatToHalf(v));
        }
      }
      case BF16 -> {
        ShortBuffer h = out.asShortBuffer();
        for (float v : values) {
          h.put(HalfFloats.floatToBf16(v));
        }
      }
      default -> throw new IllegalArgumentException(target + " is not a floating dtype");
    }
    return out;
  }

  /** Encodes longs as little-endian {@code target} bytes, refusing values out of its range. */
  static ByteBuffer encodeLongs(SafetensorsDtype target, long[] values) {
    if (target == SafetensorsDtype.I64) {
      ByteBuffer out = allocate((long) values.length * 8);
      out.asLongBuffer().put(values);
      return out;
    }
    long min = minOf(target);
    long max = maxOf(target);
    ByteBuffer out = allocate((long) values.length * target.byteSize());
    for (long v : values) {
      if (v < min || v > max) {
        throw new IllegalArgumentException("value " + v + " does not fit " + target);
      }
      switch (target.byteSize()) {
        case 4 -> out.putInt((int) v);
        case 2 -> out.putShort((short) v);
        default -> out.put((byte) v);
      }
    }
    return out.flip();
  }

  /**
   * Copies elements {@code width} bytes wide from src to dst, each read in src's byte order and
   * written in dst's; neither buffer's position moves.
   */
  static void copy(int width, ByteBuffer src, ByteBuffer dst) {
    ByteBuffer s = src.duplicate().order(src.order());
    ByteBuffer d = dst.duplicate().order(dst.order());
    switch (width) {
      case 8 -> d.asLongBuffer().put(s.asLongBuffer());
      case 4 -> d.asIntBuffer().put(s.asIntBuffer());
      case 2 -> d.asShortBuffer().put(s.asShortBuffer());
      default -> d.put(s);
    }
  }

  /** A heap buffer of {@code bytes}, little-endian; fails clearly past what one buffer holds. */
  static ByteBuffer allocate(long bytes) {
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(bytes + " bytes do not fit one Java buffer (2 GiB)");
    }
    return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static long minOf(SafetensorsDtype t) {
    return switch (t) {
      case I32 -> Integer.MIN_VALUE;
      case I16 -> Short.MIN_VALUE;
      case I8 -> Byte.MIN_VALUE;
      case U8, BOOL -> 0;
      default -> throw new IllegalArgumentException(t + " is not an integer dtype");
    };
  }

  private static long maxOf(SafetensorsDtype t) {
    return switch (t) {
      case I32 -> Integer.MAX_VALUE;
      case I16 -> Short.MAX_VALUE;
      case I8 -> Byte.MAX_VALUE;
      case U8 -> 255;
      case BOOL -> 1;
      default -> throw new IllegalArgumentException(t + " is not an integer dtype");
    };
  }
}
