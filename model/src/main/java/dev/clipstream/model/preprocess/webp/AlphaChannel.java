package dev.clipstream.model.preprocess.webp;

import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The alpha of a lossy WebP with an {@code ALPH} chunk, taken from TwelveMonkeys' reader: the chunk
 * is a lossless (VP8L) image stream, which that reader decodes exactly; its colours are not used.
 * Alpha matters before the RGB conversion, because OpenAI's transform resizes the RGBA image
 * (Pillow premultiplied) and drops alpha only after the crop.
 */
final class AlphaChannel {

  private static final WebPImageReaderSpi WEBP = new WebPImageReaderSpi();

  private AlphaChannel() {}

  /** Interleaves the file's alpha into {@code rgb}: RGBA pixels. */
  static byte[] addTo(byte[] rgb, byte[] riff, int width, int height) throws Vp8Exception {
    Raster raster;
    try {
      ImageReader reader = WEBP.createReaderInstance(null);
      try (MemoryCacheImageInputStream in =
          new MemoryCacheImageInputStream(new ByteArrayInputStream(riff))) {
        reader.setInput(in, true, true);
        BufferedImage image = reader.read(0);
        raster = image.getAlphaRaster();
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new Vp8Exception("the WebP alpha channel cannot be decoded: " + e.getMessage());
    }
    if (raster == null || raster.getWidth() != width || raster.getHeight() != height) {
      throw new Vp8Exception("the WebP alpha channel cannot be decoded");
    }
    int[] alpha = raster.getSamples(0, 0, width, height, 0, (int[]) null);
    byte[] rgba = new byte[width * height * 4];
    for (int i = 0; i < alpha.length; i++) {
      rgba[4 * i] = rgb[3 * i];
      rgba[4 * i + 1] = rgb[3 * i + 1];
      rgba[4 * i + 2] = rgb[3 * i + 2];
      rgba[4 * i + 3] = (byte) alpha[i];
    }
    return rgba;
  }
}
