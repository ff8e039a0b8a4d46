package dev.clipstream.model.preprocess;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Working memory for decoding and resizing images on one thread, kept from one image to the next:
 * the native buffers TurboJPEG reads the file from and writes the pixels to, a heap copy of those
 * pixels for the resize to read, and the integer rows between the resize's two passes, its
 * horizontal pass's columns and the passes' accumulators. Without it each photo allocates these
 * afresh (about 4 MB of heap and 3 MB of native memory for a 1024×1024 JPEG), which a busy heap
 * pays for in collections and in pages faulted in again.
 *
 * <p>Each buffer grows to the largest image this scratch has seen and stays that size until {@link
 * #close}, which frees the native memory; the heap arrays go with the object. Not thread-safe: one
 * per thread (a stream operator opens one and closes it with itself).
 */
public final class DecodeScratch implements AutoCloseable {

  private Memory encoded;
  private Memory decoded;
  private int[][] rows = new int[0][0];
  private int[][] columns = new int[0][0];
  private int[] sum = new int[0];
  private int[] bandSum = new int[0];
  private byte[] pixels = new byte[0];
  private boolean closed;

  /**
   * {@code bytes} copied into native memory, for a native decoder to read: valid until the next
   * call or {@link #close}.
   */
  Pointer encoded(byte[] bytes) {
    open();
    if (encoded == null || encoded.size() < bytes.length) {
      close(encoded);
      encoded = new Memory(Math.max(1, bytes.length));
    }
    encoded.write(0, bytes, 0, bytes.length);
    return encoded;
  }

  /** At least {@code bytes} of native memory for decoded pixels, until the next call. */
  Pointer decoded(long bytes) {
    open();
    if (decoded == null || decoded.size() < bytes) {
      close(decoded);
      decoded = new Memory(Math.max(1, bytes));
    }
    return decoded;
  }

  /**
   * At least {@code length} bytes on the heap for decoded pixels, kept for the next image (a resize
   * reads them from here rather than from an array allocated per photo); contents undefined.
   */
  byte[] pixels(int length) {
    open();
    if (pixels.length < length) {
      pixels = new byte[length];
    }
    return pixels;
  }

  /** At least {@code n} int rows of at least {@code length} values each; contents undefined. */
  int[][] rows(int n, int length) {
    open();
    rows = grown(rows, n, length);
    return rows;
  }

  /** The same for the horizontal pass's columns, a separate set from {@link #rows}. */
  int[][] columns(int n, int length) {
    open();
    columns = grown(columns, n, length);
    return columns;
  }

  /** At least {@code length} ints of accumulator; contents undefined. */
  int[] sum(int length) {
    open();
    if (sum.length < length) {
      sum = new int[length];
    }
    return sum;
  }

  /**
   * The horizontal pass's own accumulator, apart from {@link #sum}, which the vertical pass uses.
   */
  int[] bandSum(int length) {
    open();
    if (bandSum.length < length) {
      bandSum = new int[length];
    }
    return bandSum;
  }

  /** Frees the native buffers; this scratch cannot be used after. Idempotent. */
  @Override
  public void close() {
    closed = true;
    close(encoded);
    close(decoded);
    encoded = null;
    decoded = null;
  }

  private void open() {
    if (closed) {
      throw new IllegalStateException("this decode scratch is closed");
    }
  }

  private static int[][] grown(int[][] arrays, int n, int length) {
    int have = arrays.length;
    int width = have == 0 ? 0 : arrays[0].length;
    if (have >= n && width >= length) {
      return arrays;
    }
    if (width >= length) {
      int[][] more = java.util.Arrays.copyOf(arrays, n);
      for (int i = have; i < n; i++) {
        more[i] = new int[width];
      }
      return more;
    }
    return new int[Math.max(n, have)][length];
  }

  private static void close(Memory memory) {
    if (memory != null) {
      memory.close();
    }
  }
}
