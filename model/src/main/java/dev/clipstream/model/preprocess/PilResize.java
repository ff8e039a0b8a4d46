package dev.clipstream.model.preprocess;

/**
 * Resizes 8-bit images the way Pillow's {@code Image.resize(size, BICUBIC)} does, so that our
 * preprocessing matches OpenAI's: a separable convolution, horizontal pass then vertical, with the
 * bicubic kernel (a = −0.5) whose support widens by the scale factor when shrinking, weights
 * normalised per output pixel and applied in 22-bit fixed point with rounding and clipping after
 * each pass. Palette images are resized with nearest neighbour (Pillow forces it for mode "P"), and
 * images with alpha are resized premultiplied (Pillow's "RGBa"); CMYK as four plain channels.
 */
final class PilResize {

  /** Pillow's fixed-point precision for 8-bit images: 32 − 8 − 2 bits. */
  static final int PRECISION_BITS = 32 - 8 - 2;

  /** Bicubic kernel parameter (Keys 1981; Pillow's choice). */
  static final double A = -0.5;

  /** Bicubic kernel support before scaling. */
  static final double SUPPORT = 2.0;

  private PilResize() {}

  static DecodedImage resize(DecodedImage in, int width, int height) {
    if (in.width() == width && in.height() == height) {
      return in;
    }
    return resizeRegion(in, width, height, 0, 0, width, height);
  }

  /**
   * The {@code cropWidth × cropHeight} region at ({@code left}, {@code top}) of {@code in} resized
   * to {@code width × height}: the same bytes as resizing the whole image and cropping, computing
   * only what the crop keeps. Each output pixel of a separable pass depends only on its own
   * coefficients, so the horizontal pass runs for the crop's columns and only the input rows the
   * vertical pass reads (Pillow itself limits the first pass to those rows).
   */
  static DecodedImage resizeRegion(
      DecodedImage in, int width, int height, int left, int top, int cropWidth, int cropHeight) {
    if (left < 0 || top < 0 || left + cropWidth > width || top + cropHeight > height) {
      throw new IllegalArgumentException("the crop is outside the " + width + "x" + height);
    }
    if (in.indexed()) {
      return nearest(in, width, height, left, top, cropWidth, cropHeight);
    }
    int c = in.channels();
    boolean horizontal = width != in.width();
    boolean vertical = height != in.height();
    // Pillow copies an image resized to its own size: no round trip through premultiplied alpha.
    boolean alpha = c == 4 && !in.cmyk() && (horizontal || vertical);
    byte[] src = alpha ? premultiply(in.pixels()) : in.pixels();
    Coefficients ky = vertical ? Coefficients.of(in.height(), height, top, cropHeight) : null;
    // The input rows the vertical pass reads: [rowsFrom, rowsTo). Both ends of each output's
    // window only grow with the output position.
    int rowsFrom = vertical ? ky.first[0] : top;
    int rowsTo = vertical ? ky.first[cropHeight - 1] + ky.count[cropHeight - 1] : top + cropHeight;
    int rowLength = cropWidth * c;
    byte[] out;
    if (horizontal) {
      Coefficients kx = Coefficients.of(in.width(), width, left, cropWidth);
      int[] rows = horizontalPass(src, in.width(), c, rowsFrom, rowsTo, kx);
      if (vertical) {
        out = verticalPass(rows, -rowsFrom * rowLength, rowLength, rowLength, ky);
      } else {
        out = new byte[rows.length];
        for (int i = 0; i < out.length; i++) {
          out[i] = (byte) rows[i];
        }
      }
    } else {
      int stride = in.width() * c;
      if (vertical) {
        out = verticalPass(src, left * c, stride, rowLength, ky);
      } else {
        out = new byte[rowLength * cropHeight];
        for (int y = 0; y < cropHeight; y++) {
          System.arraycopy(src, (top + y) * stride + left * c, out, y * rowLength, rowLength);
        }
      }
    }
    if (alpha) {
      unpremultiply(out);
    }
    return new DecodedImage(cropWidth, cropHeight, c, out, false, in.cmyk());
  }

  /**
   * The horizontal pass over input rows [{@code from}, {@code to}) to the outputs of {@code k}, one
   * row of {@code k.count().length} pixels per input row, clipped to 8 bits as Pillow does between
   * the passes. Three channels, the common case, have their own loop.
   */
  private static int[] horizontalPass(byte[] src, int w, int c, int from, int to, Coefficients k) {
    int outW = k.first.length;
    // 8-bit values held as ints, so the vertical pass is a plain int loop, the kind a JIT can
    // vectorise (JDK 17's does not vectorise byte-to-int loops); whether it does here is
    // unmeasured.
    int[] out = new int[(to - from) * outW * c];
    int[] weights = k.weights;
    int stride = k.stride;
    int o = 0;
    for (int y = from; y < to; y++) {
      int row = y * w * c;
      for (int x = 0; x < outW; x++) {
        int p = row + k.first[x] * c;
        int kb = x * stride;
        int n = k.count[x];
        if (c == 3) {
          int s0 = ROUNDING;
          int s1 = ROUNDING;
          int s2 = ROUNDING;
          for (int i = 0; i < n; i++) {
            int kk = weights[kb + i];
            s0 += (src[p] & 0xff) * kk;
            s1 += (src[p + 1] & 0xff) * kk;
            s2 += (src[p + 2] & 0xff) * kk;
            p += 3;
          }
          out[o] = clip(s0);
          out[o + 1] = clip(s1);
          out[o + 2] = clip(s2);
          o += 3;
        } else {
          for (int ch = 0; ch < c; ch++) {
            int s = ROUNDING;
            for (int i = 0; i < n; i++) {
              s += (src[p + i * c + ch] & 0xff) * weights[kb + i];
            }
            out[o++] = clip(s);
          }
        }
      }
    }
    return out;
  }

  /**
   * The vertical pass: output row j sums input rows {@code k.first[j]..} of {@code rowLength}
   * samples, row r starting at {@code base + r * stride} of {@code src}. Integer sums are exact, so
   * accumulating row by row (which runs along contiguous memory) gives Pillow's bytes.
   */
  private static byte[] verticalPass(
      int[] src, int base, int stride, int rowLength, Coefficients k) {
    int outH = k.first.length;
    byte[] out = new byte[outH * rowLength];
    int[] sum = new int[rowLength];
    for (int j = 0; j < outH; j++) {
      java.util.Arrays.fill(sum, ROUNDING);
      int kb = j * k.stride;
      for (int i = 0; i < k.count[j]; i++) {
        int kk = k.weights[kb + i];
        int row = base + (k.first[j] + i) * stride;
        for (int v = 0; v < rowLength; v++) {
          sum[v] += src[row + v] * kk;
        }
      }
      int o = j * rowLength;
      for (int v = 0; v < rowLength; v++) {
        out[o + v] = clip8(sum[v]);
      }
    }
    return out;
  }

  /** The same pass straight from the input's bytes, when the width stays. */
  private static byte[] verticalPass(
      byte[] src, int base, int stride, int rowLength, Coefficients k) {
    int outH = k.first.length;
    byte[] out = new byte[outH * rowLength];
    int[] sum = new int[rowLength];
    for (int j = 0; j < outH; j++) {
      java.util.Arrays.fill(sum, ROUNDING);
      int kb = j * k.stride;
      for (int i = 0; i < k.count[j]; i++) {
        int kk = k.weights[kb + i];
        int row = base + (k.first[j] + i) * stride;
        for (int v = 0; v < rowLength; v++) {
          sum[v] += (src[row + v] & 0xff) * kk;
        }
      }
      int o = j * rowLength;
      for (int v = 0; v < rowLength; v++) {
        out[o + v] = clip8(sum[v]);
      }
    }
    return out;
  }

  /** Pillow adds half of the last bit before shifting: rounding to nearest. */
  private static final int ROUNDING = 1 << (PRECISION_BITS - 1);

  private static int clip(int fixed) {
    int v = fixed >> PRECISION_BITS;
    return v < 0 ? 0 : Math.min(v, 255);
  }

  private static byte clip8(int fixed) {
    int v = fixed >> PRECISION_BITS;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }

  /**
   * For outputs {@code from..from+n-1} of a resize from {@code inSize} to {@code outSize} (index 0
   * is output {@code from}): first input index, how many inputs, and their fixed-point weights.
   */
  private record Coefficients(int[] first, int[] count, int[] weights, int stride) {
    static Coefficients of(int inSize, int outSize, int from, int n) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = SUPPORT * filterScale;
      int stride = (int) Math.ceil(support) * 2 + 1;
      int[] first = new int[n];
      int[] count = new int[n];
      int[] weights = new int[n * stride];
      double[] k = new double[stride];
      for (int j = 0; j < n; j++) {
        double center = (from + j + 0.5) * scale;
        int min = Math.max((int) (center - support + 0.5), 0);
        int max = Math.min((int) (center + support + 0.5), inSize) - min;
        double total = 0;
        for (int i = 0; i < max; i++) {
          k[i] = bicubic((i + min - center + 0.5) / filterScale);
          total += k[i];
        }
        for (int i = 0; i < max; i++) {
          double w = total != 0 ? k[i] / total : 0;
          weights[j * stride + i] = (int) (w * (1 << PRECISION_BITS) + (w < 0 ? -0.5 : 0.5));
        }
        first[j] = min;
        count[j] = max;
      }
      return new Coefficients(first, count, weights, stride);
    }
  }

  static double bicubic(double x) {
    x = Math.abs(x);
    if (x < 1.0) {
      return ((A + 2.0) * x - (A + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * A;
    }
    return 0;
  }

  /** Pillow's nearest neighbour: the input pixel under each kept output pixel's centre. */
  private static DecodedImage nearest(
      DecodedImage in, int width, int height, int left, int top, int cropWidth, int cropHeight) {
    int c = in.channels();
    byte[] out = new byte[cropWidth * cropHeight * c];
    double sx = (double) in.width() / width;
    double sy = (double) in.height() / height;
    for (int y = 0; y < cropHeight; y++) {
      int iy = Math.min((int) ((top + y + 0.5) * sy), in.height() - 1);
      for (int x = 0; x < cropWidth; x++) {
        int ix = Math.min((int) ((left + x + 0.5) * sx), in.width() - 1);
        System.arraycopy(in.pixels(), (iy * in.width() + ix) * c, out, (y * cropWidth + x) * c, c);
      }
    }
    return new DecodedImage(cropWidth, cropHeight, c, out, true);
  }

  /** RGBA to Pillow's premultiplied RGBa, rounding as its MULDIV255. */
  private static byte[] premultiply(byte[] rgba) {
    byte[] out = rgba.clone();
    for (int i = 0; i < out.length; i += 4) {
      int a = out[i + 3] & 0xff;
      for (int ch = 0; ch < 3; ch++) {
        int t = (out[i + ch] & 0xff) * a + 128;
        out[i + ch] = (byte) ((t + (t >> 8)) >> 8);
      }
    }
    return out;
  }

  /** RGBa back to RGBA, as Pillow: 255·v / a, clipped; zero alpha gives black. */
  private static void unpremultiply(byte[] rgba) {
    for (int i = 0; i < rgba.length; i += 4) {
      int a = rgba[i + 3] & 0xff;
      for (int ch = 0; ch < 3; ch++) {
        rgba[i + ch] = (byte) (a == 0 ? 0 : Math.min(255, 255 * (rgba[i + ch] & 0xff) / a));
      }
    }
  }
}
