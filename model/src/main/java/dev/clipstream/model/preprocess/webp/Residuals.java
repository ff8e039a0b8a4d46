package dev.clipstream.model.preprocess.webp;

import java.util.Arrays;

/**
 * Reads one macroblock's DCT/WHT coefficient tokens (RFC 6386 section 13) and dequantises them: 16
 * luma blocks, 4 U and 4 V blocks of 16 coefficients in raster order, with the Y2 block's inverse
 * WHT already spread into the luma DCs. Keeps the "has non-zero coefficients" contexts of the
 * blocks above (one row of macroblocks) and to the left.
 */
final class Residuals {

  static final int TYPE_Y_AFTER_Y2 = 0;
  static final int TYPE_Y2 = 1;
  static final int TYPE_CHROMA = 2;
  static final int TYPE_Y_WITH_DC = 3;

  /** coeff_bands, RFC 6386 section 13.3: the band of each coefficient position. */
  private static final int[] BANDS = {0, 1, 2, 3, 6, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7};

  /** The zigzag scan, RFC 6386 section 13: position to raster index in the 4x4 block. */
  static final int[] ZIGZAG = {0, 1, 4, 8, 5, 2, 3, 6, 9, 12, 13, 10, 7, 11, 14, 15};

  /** Pcat3..Pcat6 of RFC 6386 section 13.2: the extra bits of the four largest categories. */
  private static final int[][] CATEGORY_PROBS = {
    {173, 148, 140},
    {176, 155, 140, 135},
    {180, 157, 141, 134, 130},
    {254, 254, 243, 230, 196, 177, 153, 140, 133, 130, 129},
  };

  /** 24 blocks of 16 dequantised coefficients. */
  final short[] coeffs = new short[24 * 16];

  private final short[] y2 = new short[16];
  private final int[] probs;
  private final int[] aboveY;
  private final int[] aboveU;
  private final int[] aboveV;
  private final int[] aboveY2;
  private final int[] leftY = new int[4];
  private final int[] leftU = new int[2];
  private final int[] leftV = new int[2];
  private int leftY2;

  Residuals(int[] probs, int mbWidth) {
    this.probs = probs;
    aboveY = new int[mbWidth * 4];
    aboveU = new int[mbWidth * 2];
    aboveV = new int[mbWidth * 2];
    aboveY2 = new int[mbWidth];
  }

  /** At the start of a macroblock row: nothing to the left. */
  void startRow() {
    clearLeft();
    leftY2 = 0;
  }

  /** A macroblock coded without coefficients: all zero, and so are its contexts. */
  void skip(int mbX, boolean hasY2) {
    Arrays.fill(coeffs, (short) 0);
    Arrays.fill(aboveY, mbX * 4, mbX * 4 + 4, 0);
    Arrays.fill(aboveU, mbX * 2, mbX * 2 + 2, 0);
    Arrays.fill(aboveV, mbX * 2, mbX * 2 + 2, 0);
    clearLeft();
    if (hasY2) { // a B_PRED macroblock has no Y2 block, so leaves its context as it was
      aboveY2[mbX] = 0;
      leftY2 = 0;
    }
  }

  private void clearLeft() {
    Arrays.fill(leftY, 0);
    Arrays.fill(leftU, 0);
    Arrays.fill(leftV, 0);
  }

  /**
   * Reads the macroblock at column {@code mbX}; returns whether any block has a non-zero
   * coefficient (libwebp's test: more than a DC token, or a non-zero DC), which decides whether its
   * inner edges are loop-filtered.
   */
  boolean read(BoolDecoder d, int mbX, boolean hasY2, Quantizer q) {
    Arrays.fill(coeffs, (short) 0);
    int first = 0;
    int yType = TYPE_Y_WITH_DC;
    if (hasY2) {
      Arrays.fill(y2, (short) 0);
      int end = tokens(d, TYPE_Y2, aboveY2[mbX] + leftY2, 0, q.y2Dc(), q.y2Ac(), y2, 0);
      aboveY2[mbX] = leftY2 = end > 0 ? 1 : 0;
      InverseTransform.walsh(y2, coeffs);
      first = 1;
      yType = TYPE_Y_AFTER_Y2;
    }
    boolean nonZero = false;
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        int block = (y * 4 + x) * 16;
        int ctx = aboveY[mbX * 4 + x] + leftY[y];
        int end = tokens(d, yType, ctx, first, q.y1Dc(), q.y1Ac(), coeffs, block);
        aboveY[mbX * 4 + x] = leftY[y] = end > first ? 1 : 0;
        nonZero |= end > 1 || coeffs[block] != 0;
      }
    }
    nonZero |= chroma(d, 16, aboveU, leftU, mbX, q);
    nonZero |= chroma(d, 20, aboveV, leftV, mbX, q);
    return nonZero;
  }

  private boolean chroma(
      BoolDecoder d, int firstBlock, int[] above, int[] left, int mbX, Quantizer q) {
    boolean nonZero = false;
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 2; x++) {
        int block = (firstBlock + y * 2 + x) * 16;
        int end =
            tokens(
                d, TYPE_CHROMA, above[mbX * 2 + x] + left[y], 0, q.uvDc(), q.uvAc(), coeffs, block);
        above[mbX * 2 + x] = left[y] = end > 0 ? 1 : 0;
        nonZero |= end > 1 || coeffs[block] != 0;
      }
    }
    return nonZero;
  }

  /**
   * Reads one block's tokens from position {@code first} into {@code out[offset..offset+16)}
   * (raster order, dequantised); returns the position after the last token read before the end of
   * block, 16 when the block runs to its end: the block's context for its neighbours is whether
   * that is past {@code first}.
   */
  private int tokens(
      BoolDecoder d, int type, int ctx, int first, int dcq, int acq, short[] out, int offset) {
    int n = first;
    int p = CoefficientProbabilities.offset(type, BANDS[n], ctx);
    while (n < 16) {
      if (d.read(probs[p]) == 0) {
        return n; // end of block
      }
      while (d.read(probs[p + 1]) == 0) { // DCT_0: no end of block can follow
        if (++n == 16) {
          return 16;
        }
        p = CoefficientProbabilities.offset(type, BANDS[n], 0);
      }
      int v;
      int next;
      if (d.read(probs[p + 2]) == 0) {
        v = 1;
        next = 1;
      } else {
        v = large(d, p);
        next = 2;
      }
      if (d.flag()) {
        v = -v;
      }
      // libwebp holds dequantised coefficients in 16 bits; so do we, wrap-around included.
      out[offset + ZIGZAG[n]] = (short) (v * (n > 0 ? acq : dcq));
      if (++n < 16) {
        p = CoefficientProbabilities.offset(type, BANDS[n], next);
      }
    }
    return 16;
  }

  /** A token of 2 or more, down the coefficient tree from node 6, with its extra bits. */
  private int large(BoolDecoder d, int p) {
    if (d.read(probs[p + 3]) == 0) {
      if (d.read(probs[p + 4]) == 0) {
        return 2;
      }
      return 3 + d.read(probs[p + 5]);
    }
    if (d.read(probs[p + 6]) == 0) {
      if (d.read(probs[p + 7]) == 0) {
        return 5 + d.read(159); // DCT_cat1
      }
      int v = 7 + 2 * d.read(165); // DCT_cat2
      return v + d.read(145);
    }
    int high = d.read(probs[p + 8]);
    int category = 2 * high + d.read(probs[p + 9 + high]);
    int extra = 0;
    for (int prob : CATEGORY_PROBS[category]) {
      extra = 2 * extra + d.read(prob);
    }
    return extra + 3 + (8 << category); // cat3..cat6 start at 11, 19, 35, 67
  }
}
