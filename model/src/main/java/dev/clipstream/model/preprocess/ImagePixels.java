package dev.clipstream.model.preprocess;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Copies a decoded {@link BufferedImage} into 8-bit interleaved grey, RGB or RGBA as Pillow holds
 * the same file. The samples are taken as stored: Pillow never applies an embedded ICC profile (nor
 * a PNG gamma), while {@link BufferedImage#getRGB} converts from the image's colour space — the
 * embedded profile, or linear grey — to sRGB. That conversion is used only when asked for.
 */
final class ImagePixels {

  private ImagePixels() {}

  static DecodedImage of(BufferedImage image, boolean applyIccProfile) {
    ColorModel cm = image.getColorModel();
    if (cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied()) {
      int type = cm.getColorSpace().getType();
      int bands = image.getRaster().getNumBands();
      boolean grey = type == ColorSpace.TYPE_GRAY && (bands == 1 || bands == 2);
      boolean rgb = type == ColorSpace.TYPE_RGB && (bands == 3 || bands == 4);
      if (grey || (rgb && !applyIccProfile)) {
        return stored(image.getRaster(), cm.getComponentSize(0));
      }
    }
    return viaSrgb(image);
  }

  /**
   * The raster's samples as stored. Grey with alpha becomes RGBA (grey repeated), which PIL's "LA"
   * resize and {@code convert("RGB")} match; 16-bit samples keep their high byte as PIL's "RGB;16B"
   * unpacker does, except plain 16-bit grey, which is scaled (PIL opens it as 32-bit "I").
   */
  private static DecodedImage stored(Raster raster, int bits) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    int bands = raster.getNumBands();
    int channels = bands == 1 ? 1 : bands == 2 ? 4 : bands;
    if (bits == 8 && bands != 2) {
      byte[] direct = bytesOf(raster);
      if (direct != null) {
        return new DecodedImage(w, h, channels, direct, false);
      }
    }
    byte[] out = new byte[w * h * channels];
    int[] row = new int[w * bands];
    for (int y = 0; y < h; y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
      int o = y * w * channels;
      if (bands == 2) {
        for (int x = 0; x < w; x++) {
          byte g = eight(row[2 * x], bits, false);
          out[o++] = g;
          out[o++] = g;
          out[o++] = g;
          out[o++] = eight(row[2 * x + 1], bits, false);
        }
      } else {
        for (int i = 0; i < row.length; i++) {
          out[o + i] = eight(row[i], bits, bands == 1);
        }
      }
    }
    return new DecodedImage(w, h, channels, out, false);
  }

  /**
   * The samples of an 8-bit interleaved raster (ImageIO's JPEG and PNG results: BGR, ABGR, grey)
   * read straight from its data buffer in band order, or null for another layout. Same values as
   * {@link Raster#getPixels}, without its per-sample calls.
   */
  private static byte[] bytesOf(Raster raster) {
    if (!(raster.getDataBuffer() instanceof DataBufferByte buffer)
        || !(raster.getSampleModel() instanceof ComponentSampleModel model)) {
      return null;
    }
    for (int bank : model.getBankIndices()) {
      if (bank != 0) {
        return null;
      }
    }
    int w = raster.getWidth();
    int h = raster.getHeight();
    int bands = raster.getNumBands();
    int[] offsets = model.getBandOffsets();
    int pixelStride = model.getPixelStride();
    int scanline = model.getScanlineStride();
    byte[] data = buffer.getData();
    int origin =
        buffer.getOffset()
            + (raster.getMinY() - raster.getSampleModelTranslateY()) * scanline
            + (raster.getMinX() - raster.getSampleModelTranslateX()) * pixelStride;
    byte[] out = new byte[w * h * bands];
    int o = 0;
    for (int y = 0; y < h; y++) {
      int p = origin + y * scanline;
      if (bands == 3 && pixelStride == 3) {
        int b0 = offsets[0];
        int b1 = offsets[1];
        int b2 = offsets[2];
        for (int x = 0; x < w; x++, p += 3) {
          out[o++] = data[p + b0];
          out[o++] = data[p + b1];
          out[o++] = data[p + b2];
        }
      } else {
        for (int x = 0; x < w; x++, p += pixelStride) {
          for (int b = 0; b < bands; b++) {
            out[o++] = data[p + offsets[b]];
          }
        }
      }
    }
    return out;
  }

  private static byte eight(int sample, int bits, boolean scale) {
    if (bits == 8) {
      return (byte) sample;
    }
    if (bits < 8) {
      return (byte) (sample << (8 - bits));
    }
    return (byte)
        (scale ? Math.round(sample / (double) ((1 << bits) - 1) * 255) : sample >> (bits - 8));
  }

  /** Through the colour model to sRGB: palettes, packed RGB, and colour-managed reading. */
  private static DecodedImage viaSrgb(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    boolean indexed = image.getColorModel() instanceof IndexColorModel;
    boolean alpha = image.getColorModel().hasAlpha();
    int channels = alpha ? 4 : 3;
    byte[] out = new byte[w * h * channels];
    int[] argb = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, argb, 0, w);
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * channels;
        out[i] = (byte) (argb[x] >>> 16);
        out[i + 1] = (byte) (argb[x] >>> 8);
        out[i + 2] = (byte) argb[x];
        if (alpha) {
          out[i + 3] = (byte) (argb[x] >>> 24);
        }
      }
    }
    return new DecodedImage(w, h, channels, out, indexed);
  }
}
