package dev.clipstream.jobs.io;

import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.JpegEncoder;
import java.awt.Image;
import java.awt.image.BufferedImage;

/**
 * A small JPEG of the image the model saw: the preprocessed centre crop's exact 8-bit pixels (as
 * carried, or from the tensor by {@link ImagePreprocessor#quantise}), scaled down by area averaging
 * and written by the JDK's JPEG writer ({@link JpegEncoder}, safe on a TaskManager). Made from the
 * crop, so the image is decoded once, and square, as the crop is.
 */
public final class Thumbnail {
  /** JPEG quality of the thumbnails (ImageIO's 0..1 scale; 0.75 is its own default). */
  public static final float QUALITY = 0.8f;

  private Thumbnail() {}

  /**
   * The JPEG of {@code chw} ({@code [3, size, size]}, normalised) at {@code side} pixels square.
   */
  public static byte[] jpeg(float[] chw, int size, int side) {
    return jpeg(ImagePreprocessor.quantise(chw), size, side);
  }

  /** The JPEG of the 8-bit crop {@code rgb} ({@code [3, size, size]}) at {@code side} square. */
  public static byte[] jpeg(byte[] rgb, int size, int side) {
    int n = size * size;
    BufferedImage crop = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < n; i++) {
      int r = rgb[i] & 0xff;
      int g = rgb[n + i] & 0xff;
      int b = rgb[2 * n + i] & 0xff;
      crop.setRGB(i % size, i / size, (r << 16) | (g << 8) | b);
    }
    BufferedImage small = crop;
    if (side < size) {
      small = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
      // Area averaging: every source pixel counts, so a 224 → 64 reduction does not alias.
      small
          .getGraphics()
          .drawImage(crop.getScaledInstance(side, side, Image.SCALE_AREA_AVERAGING), 0, 0, null);
    }
    return JpegEncoder.encode(small, QUALITY);
  }
}
