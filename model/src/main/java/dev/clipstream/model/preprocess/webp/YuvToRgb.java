package dev.clipstream.model.preprocess.webp;

/**
 * libwebp's default output conversion of a decoded frame, as its documentation describes it:
 * "fancy" upsampling, where each chroma sample of the 2x2 output pixels it covers is weighted
 * 9:3:3:1 with its neighbours (nearest, horizontal, vertical, diagonal; 3:1 along the image's
 * edges), rounded in libwebp's two steps; then BT.601 limited-range YUV to RGB in its fixed point
 * (14-bit constants, 6 fraction bits in the sum, clipped to 0..255).
 */
final class YuvToRgb {

  private YuvToRgb() {}

  /** The RGB pixels of the top-left {@code width} x {@code height} of the frame's planes. */
  static byte[] convert(Reconstructor f, int width, int height) {
    byte[] rgb = new byte[width * height * 3];
    int[] uRow = new int[width];
    int[] vRow = new int[width];
    for (int y = 0; y < height; y++) {
      int near;
      int far;
      if (y == 0) {
        near = far = 0;
      } else if ((y & 1) == 1) {
        near = (y - 1) >> 1;
        far = y == height - 1 ? near : near + 1;
      } else {
        near = y >> 1;
        far = near - 1;
      }
      upsampleRow(f.u, f.uvStride, near, far, width, uRow);
      upsampleRow(f.v, f.uvStride, near, far, width, vRow);
      int luma = y * f.yStride;
      int out = y * width * 3;
      for (int x = 0; x < width; x++) {
        int yy = f.y[luma + x] & 0xff;
        rgb[out++] = (byte) red(yy, vRow[x]);
        rgb[out++] = (byte) green(yy, uRow[x], vRow[x]);
        rgb[out++] = (byte) blue(yy, uRow[x]);
      }
    }
    return rgb;
  }

  /** One output row's chroma from chroma rows {@code near} (nearer) and {@code far}. */
  private static void upsampleRow(byte[] c, int stride, int near, int far, int width, int[] out) {
    int n = near * stride;
    int f = far * stride;
    out[0] = edge(c[n] & 0xff, c[f] & 0xff);
    for (int x = 1; x < width; x++) {
      int nearCol = (x & 1) == 1 ? (x - 1) >> 1 : x >> 1;
      int farCol = (x & 1) == 1 ? nearCol + 1 : nearCol - 1;
      if ((x & 1) == 1 && x == width - 1) {
        out[x] = edge(c[n + nearCol] & 0xff, c[f + nearCol] & 0xff); // the last of an even width
      } else {
        out[x] =
            inner(
                c[n + nearCol] & 0xff,
                c[n + farCol] & 0xff,
                c[f + nearCol] & 0xff,
                c[f + farCol] & 0xff);
      }
    }
  }

  /** 3:1 with the sample across the row. */
  private static int edge(int nearest, int vertical) {
    return (3 * nearest + vertical + 2) >> 2;
  }

  /** 9:3:3:1, rounded as libwebp does: through the average with the diagonal pair. */
  private static int inner(int nearest, int horizontal, int vertical, int diagonal) {
    int all = nearest + horizontal + vertical + diagonal + 8;
    int diag = (all + 2 * (horizontal + vertical)) >> 3;
    return (diag + nearest) >> 1;
  }

  private static int mulHi(int v, int coeff) {
    return (v * coeff) >> 8;
  }

  private static int clip(int v) {
    return (v & ~16383) == 0 ? v >> 6 : v < 0 ? 0 : 255;
  }

  static int red(int y, int v) {
    return clip(mulHi(y, 19077) + mulHi(v, 26149) - 14234);
  }

  static int green(int y, int u, int v) {
    return clip(mulHi(y, 19077) - mulHi(u, 6419) - mulHi(v, 13320) + 8708);
  }

  static int blue(int y, int u) {
    return clip(mulHi(y, 19077) + mulHi(u, 33050) - 17685);
  }
}
