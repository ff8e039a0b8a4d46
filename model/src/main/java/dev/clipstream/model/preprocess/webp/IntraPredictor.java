package dev.clipstream.model.preprocess.webp;

/**
 * The intra predictions of RFC 6386 section 12, made in a work buffer that holds one block and its
 * edges: the row above (with 4 more pixels above-right for luma) and the column to the left.
 * Position (row, col) of the block, both from -1, is at {@code (row + 1) * stride + col + 1}.
 */
final class IntraPredictor {

  static final int DC_PRED = 0;
  static final int V_PRED = 1;
  static final int H_PRED = 2;
  static final int TM_PRED = 3;
  static final int B_PRED = 4;

  static final int B_DC_PRED = 0;
  static final int B_TM_PRED = 1;
  static final int B_VE_PRED = 2;
  static final int B_HE_PRED = 3;
  static final int B_LD_PRED = 4;
  static final int B_RD_PRED = 5;
  static final int B_VR_PRED = 6;
  static final int B_VL_PRED = 7;
  static final int B_HD_PRED = 8;
  static final int B_HU_PRED = 9;

  private IntraPredictor() {}

  /**
   * A whole-block prediction (16x16 luma or 8x8 chroma, {@code size}) at the block's origin {@code
   * o} in buffer {@code b}. DC uses only the edges inside the frame, 128 with neither.
   */
  static void block(
      int mode, int[] b, int o, int stride, int size, boolean hasAbove, boolean hasLeft) {
    int above = o - stride;
    switch (mode) {
      case DC_PRED -> {
        int sum = 0;
        int shift = size == 16 ? 3 : 2;
        for (int i = 0; i < size; i++) {
          sum += (hasAbove ? b[above + i] : 0) + (hasLeft ? b[o + i * stride - 1] : 0);
        }
        int dc;
        if (hasAbove && hasLeft) {
          dc = (sum + size) >> (shift + 2);
        } else if (hasAbove || hasLeft) {
          dc = (sum + (size >> 1)) >> (shift + 1);
        } else {
          dc = 128;
        }
        fill(b, o, stride, size, dc);
      }
      case V_PRED -> {
        for (int r = 0; r < size; r++) {
          System.arraycopy(b, above, b, o + r * stride, size);
        }
      }
      case H_PRED -> {
        for (int r = 0; r < size; r++) {
          java.util.Arrays.fill(b, o + r * stride, o + r * stride + size, b[o + r * stride - 1]);
        }
      }
      default -> trueMotion(b, o, stride, size);
    }
  }

  private static void fill(int[] b, int o, int stride, int size, int v) {
    for (int r = 0; r < size; r++) {
      java.util.Arrays.fill(b, o + r * stride, o + r * stride + size, v);
    }
  }

  private static void trueMotion(int[] b, int o, int stride, int size) {
    int corner = b[o - stride - 1];
    for (int r = 0; r < size; r++) {
      int left = b[o + r * stride - 1] - corner;
      for (int c = 0; c < size; c++) {
        b[o + r * stride + c] = InverseTransform.clamp(left + b[o - stride + c]);
      }
    }
  }

  /**
   * A 4x4 luma subblock prediction (RFC 6386 section 12.3) at {@code o}: A is the row above (8
   * pixels, the last 4 above-right), L the column to the left, P the pixel above-left.
   */
  static void subblock(int mode, int[] b, int o, int s) {
    int p = b[o - s - 1];
    int a0 = b[o - s], a1 = b[o - s + 1], a2 = b[o - s + 2], a3 = b[o - s + 3];
    int a4 = b[o - s + 4], a5 = b[o - s + 5], a6 = b[o - s + 6], a7 = b[o - s + 7];
    int l0 = b[o - 1], l1 = b[o + s - 1], l2 = b[o + 2 * s - 1], l3 = b[o + 3 * s - 1];
    switch (mode) {
      case B_DC_PRED -> {
        int dc = (a0 + a1 + a2 + a3 + l0 + l1 + l2 + l3 + 4) >> 3;
        fill(b, o, s, 4, dc);
      }
      case B_TM_PRED -> trueMotion(b, o, s, 4);
      case B_VE_PRED -> {
        int[] row = {avg3(p, a0, a1), avg3(a0, a1, a2), avg3(a1, a2, a3), avg3(a2, a3, a4)};
        for (int r = 0; r < 4; r++) {
          System.arraycopy(row, 0, b, o + r * s, 4);
        }
      }
      case B_HE_PRED -> {
        int[] col = {avg3(p, l0, l1), avg3(l0, l1, l2), avg3(l1, l2, l3), avg3(l2, l3, l3)};
        for (int r = 0; r < 4; r++) {
          java.util.Arrays.fill(b, o + r * s, o + r * s + 4, col[r]);
        }
      }
      case B_LD_PRED -> {
        int[] a = {a0, a1, a2, a3, a4, a5, a6, a7, a7};
        for (int r = 0; r < 4; r++) {
          for (int c = 0; c < 4; c++) {
            b[o + r * s + c] = avg3(a[r + c], a[r + c + 1], a[r + c + 2]);
          }
        }
      }
      case B_RD_PRED -> {
        int[] e = {l3, l2, l1, l0, p, a0, a1, a2, a3};
        for (int r = 0; r < 4; r++) {
          for (int c = 0; c < 4; c++) {
            int i = 4 - r + c;
            b[o + r * s + c] = avg3(e[i - 1], e[i], e[i + 1]);
          }
        }
      }
      case B_VR_PRED ->
          DiagonalModes.verticalRight(b, o, s, new int[] {l3, l2, l1, l0, p, a0, a1, a2, a3});
      case B_VL_PRED ->
          DiagonalModes.verticalLeft(b, o, s, new int[] {a0, a1, a2, a3, a4, a5, a6, a7});
      case B_HD_PRED ->
          DiagonalModes.horizontalDown(b, o, s, new int[] {l3, l2, l1, l0, p, a0, a1, a2, a3});
      default -> DiagonalModes.horizontalUp(b, o, s, new int[] {l0, l1, l2, l3});
    }
  }

  static int avg3(int x, int y, int z) {
    return (x + 2 * y + z + 2) >> 2;
  }

  static int avg2(int x, int y) {
    return (x + y + 1) >> 1;
  }
}
