package dev.clipstream.model.preprocess.webp;

/**
 * Predicts each macroblock and adds its residue (RFC 6386 sections 12, 14.5) into the frame's Y, U
 * and V planes, which cover whole macroblocks. Prediction reads the unfiltered neighbours, so the
 * loop filter runs over the planes only once every macroblock is in. Outside the frame the row
 * above is 127 (its above-left corner too) and the column to the left 129; above-right of the last
 * macroblock in a row repeats the last pixel above.
 */
final class Reconstructor {

  private static final int Y_STRIDE = 21; // a column left, 16, 4 above-right
  private static final int UV_STRIDE = 9;

  final int mbWidth;
  final int mbHeight;
  final int yStride;
  final int uvStride;
  final byte[] y;
  final byte[] u;
  final byte[] v;

  private final int[] yBuf = new int[Y_STRIDE * 17];
  private final int[] uBuf = new int[UV_STRIDE * 9];
  private final int[] vBuf = new int[UV_STRIDE * 9];

  Reconstructor(int mbWidth, int mbHeight) {
    this.mbWidth = mbWidth;
    this.mbHeight = mbHeight;
    yStride = mbWidth * 16;
    uvStride = mbWidth * 8;
    y = new byte[yStride * mbHeight * 16];
    u = new byte[uvStride * mbHeight * 8];
    v = new byte[uvStride * mbHeight * 8];
  }

  void macroblock(int mbX, int mbY, MacroblockModes modes, short[] coeffs) {
    luma(mbX, mbY, modes, coeffs);
    chroma(uBuf, u, mbX, mbY, modes.chromaMode, coeffs, 16);
    chroma(vBuf, v, mbX, mbY, modes.chromaMode, coeffs, 20);
  }

  private void luma(int mbX, int mbY, MacroblockModes modes, short[] coeffs) {
    int[] b = yBuf;
    int s = Y_STRIDE;
    int x0 = mbX * 16;
    int y0 = mbY * 16;
    loadEdges(b, s, 16, y, yStride, x0, y0, mbX, mbY);
    if (mbY == 0) {
      java.util.Arrays.fill(b, 17, 21, 127);
    } else {
      int row = (y0 - 1) * yStride;
      for (int i = 0; i < 4; i++) {
        b[17 + i] = y[row + (mbX == mbWidth - 1 ? x0 + 15 : x0 + 16 + i)] & 0xff;
      }
    }
    // Subblocks on the right edge take their above-right from above the macroblock, rows too.
    for (int r = 3; r < 15; r += 4) {
      System.arraycopy(b, 17, b, (r + 1) * s + 17, 4);
    }
    int origin = s + 1;
    if (modes.lumaMode == IntraPredictor.B_PRED) {
      for (int i = 0; i < 16; i++) {
        int o = origin + (i >> 2) * 4 * s + (i & 3) * 4;
        IntraPredictor.subblock(modes.subblockModes[i], b, o, s);
        InverseTransform.addIdct(coeffs, i * 16, b, o, s);
      }
    } else {
      IntraPredictor.block(modes.lumaMode, b, origin, s, 16, mbY > 0, mbX > 0);
      for (int i = 0; i < 16; i++) {
        InverseTransform.addIdct(coeffs, i * 16, b, origin + (i >> 2) * 4 * s + (i & 3) * 4, s);
      }
    }
    store(b, s, 16, y, yStride, x0, y0);
  }

  private void chroma(
      int[] b, byte[] plane, int mbX, int mbY, int mode, short[] coeffs, int firstBlock) {
    int s = UV_STRIDE;
    loadEdges(b, s, 8, plane, uvStride, mbX * 8, mbY * 8, mbX, mbY);
    int origin = s + 1;
    IntraPredictor.block(mode, b, origin, s, 8, mbY > 0, mbX > 0);
    for (int i = 0; i < 4; i++) {
      InverseTransform.addIdct(
          coeffs, (firstBlock + i) * 16, b, origin + (i >> 1) * 4 * s + (i & 1) * 4, s);
    }
    store(b, s, 8, plane, uvStride, mbX * 8, mbY * 8);
  }

  /** The row above (from column -1) and the column to the left of a block into its buffer. */
  private static void loadEdges(
      int[] b, int s, int size, byte[] plane, int stride, int x0, int y0, int mbX, int mbY) {
    if (mbY == 0) {
      java.util.Arrays.fill(b, 0, size + 1, 127);
    } else {
      int row = (y0 - 1) * stride;
      b[0] = mbX == 0 ? 129 : plane[row + x0 - 1] & 0xff;
      for (int i = 0; i < size; i++) {
        b[1 + i] = plane[row + x0 + i] & 0xff;
      }
    }
    for (int r = 0; r < size; r++) {
      b[(r + 1) * s] = mbX == 0 ? 129 : plane[(y0 + r) * stride + x0 - 1] & 0xff;
    }
  }

  private static void store(int[] b, int s, int size, byte[] plane, int stride, int x0, int y0) {
    for (int r = 0; r < size; r++) {
      int from = (r + 1) * s + 1;
      int to = (y0 + r) * stride + x0;
      for (int c = 0; c < size; c++) {
        plane[to + c] = (byte) b[from + c];
      }
    }
  }
}
