package dev.clipstream.model.shifts;

import dev.clipstream.model.preprocess.DecodedImage;
import java.util.Random;

/**
 * An RGB picture held as floats in 0..255 (interleaved), so that a chain of shifts rounds to 8 bits
 * once, at the end. Every operation returns a new picture; none keeps state.
 */
public final class Picture {
  private final int width;
  private final int height;
  private final float[] rgb;

  private Picture(int width, int height, float[] rgb) {
    if (width < 1 || height < 1 || rgb.length != width * height * 3) {
      throw new IllegalArgumentException(rgb.length + " values are not " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    this.rgb = rgb;
  }

  /** The picture of decoded grey, RGB or RGBA pixels (alpha dropped). */
  public static Picture of(DecodedImage image) {
    DecodedImage in = image.toRgb();
    float[] v = new float[in.pixels().length];
    for (int i = 0; i < v.length; i++) {
      v[i] = in.pixels()[i] & 0xff;
    }
    return new Picture(in.width(), in.height(), v);
  }

  /** A picture of one colour. */
  public static Picture filled(int width, int height, float[] colour) {
    float[] v = new float[width * height * 3];
    for (int i = 0; i < width * height; i++) {
      System.arraycopy(colour, 0, v, i * 3, 3);
    }
    return new Picture(width, height, v);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Channel {@code c} at (x, y), unrounded. */
  public float at(int x, int y, int c) {
    return rgb[(y * width + x) * 3 + c];
  }

  /** The mean of all channels of all pixels. */
  public double mean() {
    double sum = 0;
    for (float v : rgb) {
      sum += v;
    }
    return sum / rgb.length;
  }

  /** The colour of the top-left pixel: Fashion-MNIST's background, used to fill a canvas. */
  public float[] corner() {
    return new float[] {rgb[0], rgb[1], rgb[2]};
  }

  /** Rounded and clamped to 8-bit RGB, as a decoder would hand the picture on. */
  public DecodedImage toDecoded() {
    byte[] out = new byte[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      out[i] = (byte) clamp(Math.round(rgb[i]));
    }
    return new DecodedImage(width, height, 3, out, false);
  }

  /**
   * Resized to {@code w}×{@code h} with a triangle (bilinear) filter widened by the scale factor
   * when shrinking, so a smaller copy averages its pixels instead of skipping them.
   */
  public Picture resized(int w, int h) {
    float[] horizontal = pass(rgb, width, height, w, true);
    return new Picture(w, h, pass(horizontal, w, height, h, false));
  }

  private static float[] pass(float[] src, int w, int h, int out, boolean horizontal) {
    int in = horizontal ? w : h;
    int other = horizontal ? h : w;
    double scale = (double) in / out;
    double support = Math.max(1.0, scale);
    float[] dst = new float[(horizontal ? out * h : w * out) * 3];
    for (int o = 0; o < out; o++) {
      double centre = (o + 0.5) * scale;
      int from = Math.max(0, (int) Math.floor(centre - support));
      int to = Math.min(in, (int) Math.ceil(centre + support));
      double[] weights = new double[to - from];
      double total = 0;
      for (int i = from; i < to; i++) {
        double wgt = Math.max(0, 1 - Math.abs((i + 0.5 - centre) / support));
        weights[i - from] = wgt;
        total += wgt;
      }
      for (int k = 0; k < other; k++) {
        for (int c = 0; c < 3; c++) {
          double sum = 0;
          for (int i = from; i < to; i++) {
            int index = horizontal ? (k * w + i) : (i * w + k);
            sum += weights[i - from] * src[index * 3 + c];
          }
          int target = horizontal ? (k * out + o) : (o * w + k);
          dst[target * 3 + c] = (float) (sum / total);
        }
      }
    }
    return dst;
  }

  /**
   * This picture drawn onto {@code canvas} with its top-left corner at (x, y); the parts outside
   * the canvas are cut off.
   */
  public Picture placedOn(Picture canvas, int x, int y) {
    float[] out = canvas.rgb.clone();
    for (int row = 0; row < height; row++) {
      int cy = y + row;
      if (cy < 0 || cy >= canvas.height) {
        continue;
      }
      for (int col = 0; col < width; col++) {
        int cx = x + col;
        if (cx >= 0 && cx < canvas.width) {
          System.arraycopy(rgb, (row * width + col) * 3, out, (cy * canvas.width + cx) * 3, 3);
        }
      }
    }
    return new Picture(canvas.width, canvas.height, out);
  }

  /** Mirrored left to right. */
  public Picture flipped() {
    float[] out = new float[rgb.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        System.arraycopy(rgb, (y * width + x) * 3, out, (y * width + width - 1 - x) * 3, 3);
      }
    }
    return new Picture(width, height, out);
  }

  /** 255 − v in every channel: a negative. */
  public Picture inverted() {
    float[] out = new float[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      out[i] = 255f - rgb[i];
    }
    return new Picture(width, height, out);
  }

  /** Each channel multiplied by its gain (a tint: grey becomes shades of one colour). */
  public Picture tinted(float[] gains) {
    float[] out = new float[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      out[i] = rgb[i] * gains[i % 3];
    }
    return new Picture(width, height, out);
  }

  /** {@code offset} added to every value, clamped to 0..255. */
  public Picture brightened(float offset) {
    float[] out = new float[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      out[i] = clamp(rgb[i] + offset);
    }
    return new Picture(width, height, out);
  }

  /** Differences from the picture's mean multiplied by {@code factor} (below 1: flatter). */
  public Picture contrast(float factor) {
    float mean = (float) mean();
    float[] out = new float[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      out[i] = clamp(mean + (rgb[i] - mean) * factor);
    }
    return new Picture(width, height, out);
  }

  /** Independent Gaussian noise of standard deviation {@code sigma} on every value, clamped. */
  public Picture noisy(double sigma, Random random) {
    float[] out = new float[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      out[i] = clamp((float) (rgb[i] + random.nextGaussian() * sigma));
    }
    return new Picture(width, height, out);
  }

  /** A Gaussian blur of standard deviation {@code sigma} pixels (edges repeated). */
  public Picture blurred(double sigma) {
    int radius = (int) Math.ceil(3 * sigma);
    double[] kernel = new double[2 * radius + 1];
    double total = 0;
    for (int i = -radius; i <= radius; i++) {
      kernel[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
      total += kernel[i + radius];
    }
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] /= total;
    }
    return new Picture(width, height, convolve(convolve(rgb, kernel, true), kernel, false));
  }

  private float[] convolve(float[] src, double[] kernel, boolean horizontal) {
    int radius = kernel.length / 2;
    float[] out = new float[src.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < 3; c++) {
          double sum = 0;
          for (int k = -radius; k <= radius; k++) {
            int sx = horizontal ? Math.max(0, Math.min(width - 1, x + k)) : x;
            int sy = horizontal ? y : Math.max(0, Math.min(height - 1, y + k));
            sum += kernel[k + radius] * src[(sy * width + sx) * 3 + c];
          }
          out[(y * width + x) * 3 + c] = (float) sum;
        }
      }
    }
    return out;
  }

  /** Re-encoded as a baseline JPEG at {@code quality} (0..1) and decoded again. */
  public Picture jpeg(float quality) {
    return of(JpegRoundTrip.apply(toDecoded(), quality));
  }

  private static float clamp(float v) {
    return Math.max(0f, Math.min(255f, v));
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
