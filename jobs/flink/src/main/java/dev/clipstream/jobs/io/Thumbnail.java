package dev.clipstream.jobs.io;

import dev.clipstream.model.preprocess.DecodeScratch;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.JpegEncoder;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * A small JPEG of the image the model saw: the preprocessed centre crop's exact 8-bit pixels (as
 * carried, or from the tensor by {@link ImagePreprocessor#quantise}), scaled down as Pillow's
 * bicubic resize does ({@link ImagePreprocessor#resizedCrop}: every source pixel counts, so a 224 →
 * 64 reduction does not alias) and written by the JDK's JPEG writer ({@link JpegEncoder}, safe on a
 * TaskManager). Made from the crop, so the image is decoded once, and square, as the crop is.
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

  /**
   * The JPEG of the 8-bit crop {@code rgb} ({@code [3, size, size]}) at {@code side} square (at
   * most {@code size}: a crop is never enlarged).
   */
  public static byte[] jpeg(byte[] rgb, int size, int side) {
    try (DecodeScratch scratch = new DecodeScratch()) {
      return jpeg(rgb, size, side, scratch);
    }
  }

  /** The same with the calling thread's {@code scratch} for the resize, kept for the next. */
  public static byte[] jpeg(byte[] rgb, int size, int side, DecodeScratch scratch) {
    int s = Math.min(side, size);
    byte[] small = ImagePreprocessor.resizedCrop(rgb, size, s, scratch);
    BufferedImage image = new BufferedImage(s, s, BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < small.length; i += 3) {
      bgr[i] = small[i + 2];
      bgr[i + 1] = small[i + 1];
      bgr[i + 2] = small[i];
    }
    return JpegEncoder.encode(image, QUALITY);
  }
}
