package dev.clipstream.model.duplicates;

import dev.clipstream.model.preprocess.DecodedImage;
import dev.clipstream.model.preprocess.JpegEncoder;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The reposts a near-duplicate check must catch: an image re-encoded as a lossy JPEG, resized,
 * cropped at the edges, or recoloured. Each is applied to decoded pixels and returns decoded pixels
 * (RGB), as a consumer of the stream would receive them.
 */
public enum TransformedCopies {
  /** Re-encoded as JPEG at quality 50. */
  JPEG_Q50,
  /** Scaled to 1.5 times its size (bilinear). */
  RESIZED,
  /** A tenth cut from each edge, the rest scaled back to the original size. */
  CROPPED,
  /** A warm tint and 15% more contrast. */
  RECOLOURED;

  /** The transformed copy of {@code image}. */
  public DecodedImage apply(DecodedImage image) {
    BufferedImage rgb = toRgb(image);
    BufferedImage out =
        switch (this) {
          case JPEG_Q50 -> jpeg(rgb, 0.5f);
          case RESIZED ->
              scaled(
                  rgb,
                  0,
                  0,
                  rgb.getWidth(),
                  rgb.getHeight(),
                  rgb.getWidth() * 3 / 2,
                  rgb.getHeight() * 3 / 2);
          case CROPPED -> {
            int dx = rgb.getWidth() / 10;
            int dy = rgb.getHeight() / 10;
            yield scaled(
                rgb,
                dx,
                dy,
                rgb.getWidth() - dx,
                rgb.getHeight() - dy,
                rgb.getWidth(),
                rgb.getHeight());
          }
          case RECOLOURED -> recoloured(rgb);
        };
    return fromRgb(out);
  }

  /** All kinds, in order. */
  public static List<TransformedCopies> all() {
    return List.of(values());
  }

  private static BufferedImage toRgb(DecodedImage image) {
    BufferedImage out =
        new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        int r = image.at(x, y, 0);
        int g = image.channels() >= 3 ? image.at(x, y, 1) : r;
        int b = image.channels() >= 3 ? image.at(x, y, 2) : r;
        out.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return out;
  }

  private static DecodedImage fromRgb(BufferedImage image) {
    byte[] pixels = new byte[image.getWidth() * image.getHeight() * 3];
    int i = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        pixels[i++] = (byte) (rgb >> 16);
        pixels[i++] = (byte) (rgb >> 8);
        pixels[i++] = (byte) rgb;
      }
    }
    return new DecodedImage(image.getWidth(), image.getHeight(), 3, pixels, false);
  }

  private static BufferedImage scaled(
      BufferedImage in, int x0, int y0, int x1, int y1, int width, int height) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(in, 0, 0, width, height, x0, y0, x1, y1, null);
    g.dispose();
    return out;
  }

  private static BufferedImage recoloured(BufferedImage in) {
    BufferedImage out =
        new BufferedImage(in.getWidth(), in.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < in.getHeight(); y++) {
      for (int x = 0; x < in.getWidth(); x++) {
        int rgb = in.getRGB(x, y);
        int r = contrast((rgb >> 16) & 0xff) + 20;
        int g = contrast((rgb >> 8) & 0xff) + 5;
        int b = contrast(rgb & 0xff) - 15;
        out.setRGB(x, y, (clamp(r) << 16) | (clamp(g) << 8) | clamp(b));
      }
    }
    return out;
  }

  private static int contrast(int v) {
    return Math.round((v - 128) * 1.15f + 128);
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static BufferedImage jpeg(BufferedImage in, float quality) {
    try {
      return ImageIO.read(new ByteArrayInputStream(JpegEncoder.encode(in, quality)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
