package dev.clipstream.model.preprocess;

import java.util.Arrays;

/**
 * The two passes of Pillow's separable resampling on 8-bit samples: horizontal, then vertical, each
 * summing its inputs in fixed point with Pillow's rounding and clipping to 8 bits after the pass.
 * Integer sums are exact, so the order in which a pass adds its terms does not change a byte.
 *
 * <p>Both passes are laid out so that their inner loop runs along two arrays from index 0 — an
 * accumulator row and one input row — which is the shape JDK 17's C2 turns into SIMD code (it does
 * not when either array is read from an offset, or when bytes widen to ints). The horizontal pass
 * first turns a band of input rows into columns (one array per input pixel column holding its
 * samples from every row of the band), so that one output column is a weighted sum of whole input
 * columns, like a row of the vertical pass. When both passes run, the vertical one follows the
 * horizontal one band by band ({@link #both}), so that the rows between them stay few.
 */
final class ResamplePasses {

  /** Samples per column of a band: enough rows that the inner loop is long for any layout. */
  private static final int BAND_SAMPLES = 192;

  /** Pillow adds half of the last bit before shifting: rounding to nearest. */
  private static final int ROUNDING = 1 << (ResizeCoefficients.PRECISION_BITS - 1);

  private ResamplePasses() {}

  /**
   * The horizontal pass over input rows [{@code from}, {@code to}) of a {@code w}-wide image of
   * {@code c} interleaved channels, to the outputs of {@code k}: one row of {@code k.first().length
   * × c} 8-bit values (held as ints) per input row, in the first {@code to - from} arrays of {@code
   * scratch}'s rows (which may be more, and longer).
   */
  static int[][] horizontal(
      byte[] src, int w, int c, int from, int to, ResizeCoefficients k, DecodeScratch scratch) {
    int[][] out = scratch.rows(to - from, k.first().length * c);
    Band band = new Band(w, c, k, scratch);
    for (int y0 = from; y0 < to; y0 += band.rows) {
      band.resize(src, y0, Math.min(band.rows, to - y0), out, y0 - from);
    }
    return out;
  }

  /**
   * Both passes, the vertical one fed as the horizontal one goes: input rows are resized a band at
   * a time, each output row is summed as soon as the rows it reads are there, and rows no output
   * still reads are dropped and their arrays reused. What is held at once is at most the widest
   * vertical window plus one band of rows ({@code 19 + 64} rows of 672 ints for a 1024 → 224 crop,
   * against all 1024), so the rows stay in cache between the two passes.
   */
  static byte[] both(
      byte[] src,
      int w,
      int c,
      ResizeCoefficients kx,
      ResizeCoefficients ky,
      DecodeScratch scratch) {
    int rowLength = kx.first().length * c;
    int outH = ky.first().length;
    int widest = 0;
    for (int n : ky.count()) {
      widest = Math.max(widest, n);
    }
    Band band = new Band(w, c, kx, scratch);
    int[][] window = scratch.rows(widest + band.rows, rowLength);
    int[] sum = scratch.sum(rowLength);
    byte[] out = new byte[outH * rowLength];
    // window[0, held) are input rows [windowFirst, windowFirst + held); that end is the next band.
    int windowFirst = ky.first()[0];
    int held = 0;
    int j = 0;
    for (int y0 = windowFirst; j < outH; y0 += band.rows) {
      int drop = Math.min(held, ky.first()[j] - windowFirst);
      if (drop > 0) {
        java.util.Collections.rotate(Arrays.asList(window).subList(0, held), -drop);
        windowFirst += drop;
        held -= drop;
      }
      int rows = Math.min(band.rows, ky.end() - y0);
      if (rows <= 0) {
        throw new IllegalStateException("output row " + j + " reads past input row " + ky.end());
      }
      band.resize(src, y0, rows, window, held);
      held += rows;
      for (; j < outH && ky.first()[j] + ky.count()[j] <= windowFirst + held; j++) {
        Arrays.fill(sum, 0, rowLength, ROUNDING);
        int first = ky.first()[j] - windowFirst;
        accumulate(sum, rowLength, window, first, ky.weights(), j * ky.stride(), ky.count()[j]);
        toBytes(sum, rowLength, out, j * rowLength);
      }
    }
    return out;
  }

  /** The horizontal pass a band of input rows at a time, with its columns and accumulator. */
  private static final class Band {
    final int rows;
    private final int w;
    private final int c;
    private final ResizeCoefficients k;
    private final int colFrom;
    private final int colCount;
    private final int[][] columns;
    private final int[] sum;

    Band(int w, int c, ResizeCoefficients k, DecodeScratch scratch) {
      this.w = w;
      this.c = c;
      this.k = k;
      this.rows = Math.max(1, BAND_SAMPLES / c);
      this.colFrom = k.first()[0];
      this.colCount = k.end() - colFrom;
      this.columns = scratch.columns(colCount, rows * c);
      this.sum = scratch.bandSum(rows * c);
    }

    /** Input rows [{@code y0}, {@code y0 + n}) resized into {@code out[at..at + n)}. */
    void resize(byte[] src, int y0, int n, int[][] out, int at) {
      int samples = n * c;
      toColumns(src, w, c, y0, n, colFrom, colCount, columns);
      int outW = k.first().length;
      for (int x = 0; x < outW; x++) {
        Arrays.fill(sum, 0, samples, ROUNDING);
        int first = k.first()[x] - colFrom;
        accumulate(sum, samples, columns, first, k.weights(), x * k.stride(), k.count()[x]);
        int o = x * c;
        if (c == 3) {
          for (int r = 0, s = 0; r < n; r++, s += 3) {
            int[] row = out[at + r];
            row[o] = clip(sum[s]);
            row[o + 1] = clip(sum[s + 1]);
            row[o + 2] = clip(sum[s + 2]);
          }
        } else {
          for (int r = 0; r < n; r++) {
            int[] row = out[at + r];
            for (int ch = 0; ch < c; ch++) {
              row[o + ch] = clip(sum[r * c + ch]);
            }
          }
        }
      }
    }
  }

  /**
   * Rows [{@code y0}, {@code y0 + rows}) of {@code src}, from column {@code colFrom} on, as one
   * array per column: {@code columns[x - colFrom][r * c + ch]} is channel {@code ch} of pixel
   * {@code x} in row {@code y0 + r}. Done in blocks of columns so that what is written stays in
   * cache while every row of the band is read. Only the first {@code colCount} columns are written.
   */
  private static void toColumns(
      byte[] src, int w, int c, int y0, int rows, int colFrom, int colCount, int[][] columns) {
    int colTo = colFrom + colCount;
    for (int x0 = colFrom; x0 < colTo; x0 += 16) {
      int xEnd = Math.min(colTo, x0 + 16);
      for (int r = 0; r < rows; r++) {
        int s = ((y0 + r) * w + x0) * c;
        int q = r * c;
        if (c == 3) {
          for (int x = x0; x < xEnd; x++) {
            int[] column = columns[x - colFrom];
            column[q] = src[s] & 0xff;
            column[q + 1] = src[s + 1] & 0xff;
            column[q + 2] = src[s + 2] & 0xff;
            s += 3;
          }
        } else {
          for (int x = x0; x < xEnd; x++) {
            int[] column = columns[x - colFrom];
            for (int ch = 0; ch < c; ch++) {
              column[q + ch] = src[s++] & 0xff;
            }
          }
        }
      }
    }
  }

  /**
   * The vertical pass alone, straight from an image's bytes, when the width stays: the {@code
   * rowLength} samples from {@code base + r * stride} are input row r; output row j sums input rows
   * {@code k.first()[j]..}, as bytes.
   */
  static byte[] vertical(
      byte[] src,
      int base,
      int stride,
      int rowLength,
      ResizeCoefficients k,
      DecodeScratch scratch) {
    int outH = k.first().length;
    byte[] out = new byte[outH * rowLength];
    int[] sum = scratch.sum(rowLength);
    for (int j = 0; j < outH; j++) {
      Arrays.fill(sum, 0, rowLength, ROUNDING);
      int kb = j * k.stride();
      for (int i = 0; i < k.count()[j]; i++) {
        int kk = k.weights()[kb + i];
        int row = base + (k.first()[j] + i) * stride;
        for (int v = 0; v < rowLength; v++) {
          sum[v] += (src[row + v] & 0xff) * kk;
        }
      }
      toBytes(sum, rowLength, out, j * rowLength);
    }
    return out;
  }

  /**
   * Adds {@code weights[kb + i] × inputs[first + i][v]} for i < n to {@code sum[v]}, v < length:
   * four inputs a step, which reads and writes {@code sum} a quarter as often.
   */
  private static void accumulate(
      int[] sum, int length, int[][] inputs, int first, int[] weights, int kb, int n) {
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      int k0 = weights[kb + i];
      int k1 = weights[kb + i + 1];
      int k2 = weights[kb + i + 2];
      int k3 = weights[kb + i + 3];
      int[] in0 = inputs[first + i];
      int[] in1 = inputs[first + i + 1];
      int[] in2 = inputs[first + i + 2];
      int[] in3 = inputs[first + i + 3];
      for (int v = 0; v < length; v++) {
        sum[v] += in0[v] * k0 + in1[v] * k1 + in2[v] * k2 + in3[v] * k3;
      }
    }
    for (; i < n; i++) {
      int kk = weights[kb + i];
      int[] in = inputs[first + i];
      for (int v = 0; v < length; v++) {
        sum[v] += in[v] * kk;
      }
    }
  }

  private static void toBytes(int[] sum, int length, byte[] out, int offset) {
    for (int v = 0; v < length; v++) {
      out[offset + v] = (byte) clip(sum[v]);
    }
  }

  private static int clip(int fixed) {
    int v = fixed >> ResizeCoefficients.PRECISION_BITS;
    return v < 0 ? 0 : Math.min(v, 255);
  }
}
