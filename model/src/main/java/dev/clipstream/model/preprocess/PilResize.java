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

  private PilResize() {}

  static DecodedImage resize(DecodedImage in, int width, int height) {
    try (DecodeScratch scratch = new DecodeScratch()) {
      return resize(in, width, height, scratch);
    }
  }

  /** The same with the calling thread's working memory. */
  static DecodedImage resize(DecodedImage in, int width, int height, DecodeScratch scratch) {
    if (in.width() == width && in.height() == height) {
      return in;
    }
    return resizeRegion(in, width, height, 0, 0, width, height, scratch);
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
    try (DecodeScratch scratch = new DecodeScratch()) {
      return resizeRegion(in, width, height, left, top, cropWidth, cropHeight, scratch);
    }
  }

  /** The same with the calling thread's working memory for the horizontal pass. */
  static DecodedImage resizeRegion(
      DecodedImage in,
      int width,
      int height,
      int left,
      int top,
      int cropWidth,
      int cropHeight,
      DecodeScratch scratch) {
    if (in.indexed()) {
      checkCrop(width, height, left, top, cropWidth, cropHeight);
      return nearest(in, width, height, left, top, cropWidth, cropHeight);
    }
    return resample(
        new PixelBuffer(in.width(), in.height(), in.channels(), in.pixels()),
        in.cmyk(),
        width,
        height,
        left,
        top,
        cropWidth,
        cropHeight,
        scratch);
  }

  private static void checkCrop(
      int width, int height, int left, int top, int cropWidth, int cropHeight) {
    if (left < 0 || top < 0 || left + cropWidth > width || top + cropHeight > height) {
      throw new IllegalArgumentException("the crop is outside the " + width + "x" + height);
    }
  }

  /**
   * The bicubic resize of the region of {@code in} (no palette; CMYK's four channels as plain
   * ones), for pixels a decoder left in a scratch as for a decoded image's own: the scratch's
   * buffers are reused for the passes, and the crop is an array of its own.
   */
  static DecodedImage resample(
      PixelBuffer in,
      boolean cmyk,
      int width,
      int height,
      int left,
      int top,
      int cropWidth,
      int cropHeight,
      DecodeScratch scratch) {
    checkCrop(width, height, left, top, cropWidth, cropHeight);
    int inW = in.width();
    int inH = in.height();
    int c = in.channels();
    byte[] pixels = in.pixels();
    boolean horizontal = width != inW;
    boolean vertical = height != inH;
    // Pillow copies an image resized to its own size: no round trip through premultiplied alpha.
    boolean alpha = c == 4 && !cmyk && (horizontal || vertical);
    byte[] src = alpha ? premultiply(pixels, inW * inH * 4) : pixels;
    ResizeCoefficients ky = vertical ? ResizeCoefficients.of(inH, height, top, cropHeight) : null;
    // The input rows the vertical pass reads: [rowsFrom, rowsTo). Both ends of each output's
    // window only grow with the output position.
    int rowsFrom = vertical ? ky.first()[0] : top;
    int rowsTo = vertical ? ky.end() : top + cropHeight;
    int rowLength = cropWidth * c;
    byte[] out;
    if (horizontal) {
      ResizeCoefficients kx = ResizeCoefficients.of(inW, width, left, cropWidth);
      if (vertical) {
        out = ResamplePasses.both(src, inW, c, kx, ky, scratch);
      } else {
        int[][] rows = ResamplePasses.horizontal(src, inW, c, rowsFrom, rowsTo, kx, scratch);
        out = new byte[rowLength * cropHeight];
        for (int y = 0; y < cropHeight; y++) {
          for (int v = 0; v < rowLength; v++) {
            out[y * rowLength + v] = (byte) rows[y][v];
          }
        }
      }
    } else {
      int stride = inW * c;
      if (vertical) {
        out = ResamplePasses.vertical(src, left * c, stride, rowLength, ky, scratch);
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
    return new DecodedImage(cropWidth, cropHeight, c, out, false, cmyk);
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
  private static byte[] premultiply(byte[] rgba, int length) {
    byte[] out = java.util.Arrays.copyOf(rgba, length);
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
