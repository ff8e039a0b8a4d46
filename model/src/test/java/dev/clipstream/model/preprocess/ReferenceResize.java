package dev.clipstream.model.preprocess;

/**
 * The plain form of {@link PilResize} that preprocessing used before it computed only the crop:
 * every output pixel of both passes, one sample at a time. Kept as the oracle that the faster code
 * gives the same bytes on images the reference fixtures do not cover.
 *
 * <p>Resizes 8-bit images the way Pillow's {@code Image.resize(size, BICUBIC)} does, so that our
 * preprocessing matches OpenAI's: a separable convolution, horizontal pass then vertical, with the
 * bicubic kernel (a = −0.5) whose support widens by the scale factor when shrinking, weights
 * normalised per output pixel and applied in 22-bit fixed point with rounding and clipping after
 * each pass. Palette images are resized with nearest neighbour (Pillow forces it for mode "P"), and
 * images with alpha are resized premultiplied (Pillow's "RGBa"); CMYK as four plain channels.
 */
final class ReferenceResize {

  /** Pillow's fixed-point precision for 8-bit images: 32 − 8 − 2 bits. */
  static final int PRECISION_BITS = 32 - 8 - 2;

  /** Bicubic kernel parameter (Keys 1981; Pillow's choice). */
  static final double A = -0.5;

  /** Bicubic kernel support before scaling. */
  static final double SUPPORT = 2.0;

  private ReferenceResize() {}

  static DecodedImage resize(DecodedImage in, int width, int height) {
    if (in.width() == width && in.height() == height) {
      return in;
    }
    if (in.indexed()) {
      return nearest(in, width, height);
    }
    boolean alpha = in.channels() == 4 && !in.cmyk();
    byte[] pixels = alpha ? premultiply(in.pixels()) : in.pixels();
    int w = in.width();
    if (width != w) {
      pixels = pass(pixels, w, in.height(), in.channels(), width, true);
      w = width;
    }
    if (height != in.height()) {
      pixels = pass(pixels, w, in.height(), in.channels(), height, false);
    }
    if (alpha) {
      unpremultiply(pixels);
    }
    return new DecodedImage(width, height, in.channels(), pixels, false, in.cmyk());
  }

  /** One separable pass along x ({@code horizontal}) or y, to {@code outSize} along that axis. */
  private static byte[] pass(byte[] src, int w, int h, int c, int outSize, boolean horizontal) {
    int inSize = horizontal ? w : h;
    Coefficients k = Coefficients.of(inSize, outSize);
    int outW = horizontal ? outSize : w;
    int outH = horizontal ? h : outSize;
    byte[] out = new byte[outW * outH * c];
    int rounding = 1 << (PRECISION_BITS - 1);
    for (int y = 0; y < outH; y++) {
      for (int x = 0; x < outW; x++) {
        int o = horizontal ? x : y;
        int first = k.first[o];
        int count = k.count[o];
        for (int ch = 0; ch < c; ch++) {
          int sum = rounding;
          for (int i = 0; i < count; i++) {
            int sx = horizontal ? first + i : x;
            int sy = horizontal ? y : first + i;
            sum += (src[(sy * w + sx) * c + ch] & 0xff) * k.weights[o * k.stride + i];
          }
          out[(y * outW + x) * c + ch] = clip8(sum);
        }
      }
    }
    return out;
  }

  private static byte clip8(int fixed) {
    int v = fixed >> PRECISION_BITS;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }

  /** Per output position: first input index, how many inputs, and their fixed-point weights. */
  private record Coefficients(int[] first, int[] count, int[] weights, int stride) {
    static Coefficients of(int inSize, int outSize) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = SUPPORT * filterScale;
      int stride = (int) Math.ceil(support) * 2 + 1;
      int[] first = new int[outSize];
      int[] count = new int[outSize];
      int[] weights = new int[outSize * stride];
      double[] k = new double[stride];
      for (int o = 0; o < outSize; o++) {
        double center = (o + 0.5) * scale;
        int min = Math.max((int) (center - support + 0.5), 0);
        int max = Math.min((int) (center + support + 0.5), inSize) - min;
        double total = 0;
        for (int i = 0; i < max; i++) {
          k[i] = bicubic((i + min - center + 0.5) / filterScale);
          total += k[i];
        }
        for (int i = 0; i < max; i++) {
          double w = total != 0 ? k[i] / total : 0;
          weights[o * stride + i] = (int) (w * (1 << PRECISION_BITS) + (w < 0 ? -0.5 : 0.5));
        }
        first[o] = min;
        count[o] = max;
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

  /** Pillow's nearest neighbour: the input pixel under each output pixel's centre. */
  private static DecodedImage nearest(DecodedImage in, int width, int height) {
    int c = in.channels();
    byte[] out = new byte[width * height * c];
    double sx = (double) in.width() / width;
    double sy = (double) in.height() / height;
    for (int y = 0; y < height; y++) {
      int iy = Math.min((int) ((y + 0.5) * sy), in.height() - 1);
      for (int x = 0; x < width; x++) {
        int ix = Math.min((int) ((x + 0.5) * sx), in.width() - 1);
        System.arraycopy(in.pixels(), (iy * in.width() + ix) * c, out, (y * width + x) * c, c);
      }
    }
    return new DecodedImage(width, height, c, out, true);
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
