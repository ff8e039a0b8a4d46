package dev.clipstream.model.preprocess;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
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
