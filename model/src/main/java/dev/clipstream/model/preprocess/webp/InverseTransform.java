package dev.clipstream.model.preprocess.webp;

/**
 * The inverse transforms of RFC 6386 section 14: the Walsh-Hadamard transform of the Y2 block
 * (14.3) and the 4x4 DCT approximation added onto the prediction (14.4), in the RFC's exact integer
 * arithmetic.
 */
final class InverseTransform {

  /** cos(pi/8) * sqrt(2) - 1 and sin(pi/8) * sqrt(2), in 16-bit fixed point. */
  private static final int COS_MINUS_ONE = 20091;

  private static final int SIN = 35468;

  private InverseTransform() {}

  /** The inverse WHT of {@code in}: output i becomes the DC of luma block i in {@code blocks}. */
  static void walsh(short[] in, short[] blocks) {
    int[] t = new int[16];
    for (int i = 0; i < 4; i++) {
      int a1 = in[i] + in[12 + i];
      int b1 = in[4 + i] + in[8 + i];
      int c1 = in[4 + i] - in[8 + i];
      int d1 = in[i] - in[12 + i];
      t[i] = a1 + b1;
      t[4 + i] = c1 + d1;
      t[8 + i] = a1 - b1;
      t[12 + i] = d1 - c1;
    }
    for (int i = 0; i < 4; i++) {
      int a1 = t[4 * i] + t[4 * i + 3];
      int b1 = t[4 * i + 1] + t[4 * i + 2];
      int c1 = t[4 * i + 1] - t[4 * i + 2];
      int d1 = t[4 * i] - t[4 * i + 3];
      blocks[(4 * i) * 16] = (short) ((a1 + b1 + 3) >> 3);
      blocks[(4 * i + 1) * 16] = (short) ((c1 + d1 + 3) >> 3);
      blocks[(4 * i + 2) * 16] = (short) ((a1 - b1 + 3) >> 3);
      blocks[(4 * i + 3) * 16] = (short) ((d1 - c1 + 3) >> 3);
    }
  }

  /**
   * Adds the inverse DCT of the 16 coefficients at {@code in[inOffset]} to the 4x4 pixels at {@code
   * dst[dstOffset]} (row stride {@code stride}), clamping to 0..255.
   */
  static void addIdct(short[] in, int inOffset, int[] dst, int dstOffset, int stride) {
    int[] t = new int[16];
    for (int i = 0; i < 4; i++) { // columns first
      int i0 = in[inOffset + i];
      int i4 = in[inOffset + 4 + i];
      int i8 = in[inOffset + 8 + i];
      int i12 = in[inOffset + 12 + i];
      int a1 = i0 + i8;
      int b1 = i0 - i8;
      int c1 = mulSin(i4) - mulCos(i12);
      int d1 = mulCos(i4) + mulSin(i12);
      t[i] = a1 + d1;
      t[12 + i] = a1 - d1;
      t[4 + i] = b1 + c1;
      t[8 + i] = b1 - c1;
    }
    for (int r = 0; r < 4; r++) {
      int i0 = t[4 * r];
      int i1 = t[4 * r + 1];
      int i2 = t[4 * r + 2];
      int i3 = t[4 * r + 3];
      int a1 = i0 + i2;
      int b1 = i0 - i2;
      int c1 = mulSin(i1) - mulCos(i3);
      int d1 = mulCos(i1) + mulSin(i3);
      int o = dstOffset + r * stride;
      dst[o] = clamp(dst[o] + ((a1 + d1 + 4) >> 3));
      dst[o + 3] = clamp(dst[o + 3] + ((a1 - d1 + 4) >> 3));
      dst[o + 1] = clamp(dst[o + 1] + ((b1 + c1 + 4) >> 3));
      dst[o + 2] = clamp(dst[o + 2] + ((b1 - c1 + 4) >> 3));
    }
  }

  private static int mulSin(int v) {
    return (v * SIN) >> 16;
  }

  private static int mulCos(int v) {
    return v + ((v * COS_MINUS_ONE) >> 16);
  }

  static int clamp(int v) {
    return v < 0 ? 0 : Math.min(v, 255);
  }
}
