package dev.clipstream.model.preprocess;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG, JPEG, GIF and BMP bytes with the JDK's ImageIO into {@link DecodedImage}s, after
 * checking the byte count and the pixel count the header declares, so a decompression bomb is
 * refused before any pixel is allocated. CMYK and YCCK JPEGs are converted to RGB as Pillow does
 * ({@link CmykJpeg}). Never throws for bad input: it returns a rejection.
 */
public final class ImageDecoder {

  private final long maxPixels;
  private final int maxBytes;

  public ImageDecoder(long maxPixels, int maxBytes) {
    this.maxPixels = maxPixels;
    this.maxBytes = maxBytes;
    ImageIO.setUseCache(false); // decode in memory, never through temporary files
  }

  /** Decodes one encoded image. */
  public DecodeOutcome decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return reject(DecodeOutcome.Reason.EMPTY, "the image has no bytes");
    }
    if (bytes.length > maxBytes) {
      return reject(
          DecodeOutcome.Reason.TOO_MANY_BYTES,
          "the image has " + bytes.length + " bytes, over the limit of " + maxBytes);
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return reject(DecodeOutcome.Reason.UNSUPPORTED_FORMAT, "not a PNG, JPEG, GIF or BMP image");
      }
      ImageReader reader = readers.next();
      try {
        return read(reader, in);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return corrupt(e);
    }
  }

  private DecodeOutcome read(ImageReader reader, ImageInputStream in) throws IOException {
    reader.setInput(in, true, true);
    long width = reader.getWidth(0);
    long height = reader.getHeight(0);
    if (width <= 0 || height <= 0) {
      return reject(
          DecodeOutcome.Reason.CORRUPT, "the image declares " + width + "x" + height + " pixels");
    }
    if (width * height > maxPixels) {
      return reject(
          DecodeOutcome.Reason.TOO_MANY_PIXELS,
          "the image declares " + width + "x" + height + " pixels, over the limit of " + maxPixels);
    }
    AtomicReference<String> warning = new AtomicReference<>();
    reader.addIIOReadWarningListener((source, message) -> warning.compareAndSet(null, message));
    int cmyk = CmykJpeg.transform(reader.getImageMetadata(0));
    if (cmyk != CmykJpeg.NOT_CMYK) {
      Raster raw = reader.readRaster(0, null);
      if (warning.get() != null) {
        return damaged(reader, warning.get());
      }
      return new DecodeOutcome.Decoded(CmykJpeg.toRgb(raw, cmyk));
    }
    BufferedImage image;
    try {
      image = reader.read(0);
    } catch (javax.imageio.IIOException e) {
      if (String.valueOf(e.getMessage()).contains("Unsupported Image Type")) {
        return reject(
            DecodeOutcome.Reason.UNSUPPORTED_FORMAT,
            "the "
                + reader.getFormatName()
                + " uses a colour space ImageIO cannot read (CMYK or YCCK)");
      }
      throw e;
    }
    if (warning.get() != null) {
      return damaged(reader, warning.get());
    }
    return new DecodeOutcome.Decoded(toPixels(image));
  }

  /** ImageIO fills a cut-short JPEG with grey and only warns: that is not the user's image. */
  private static DecodeOutcome damaged(ImageReader reader, String warning) throws IOException {
    return reject(
        DecodeOutcome.Reason.CORRUPT,
        "the " + reader.getFormatName() + " data is damaged: " + warning);
  }

  /** Copies any BufferedImage into 8-bit interleaved grey, RGB or RGBA. */
  static DecodedImage toPixels(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    boolean indexed = image.getColorModel() instanceof IndexColorModel;
    Raster raster = image.getRaster();
    if (!indexed && image.getColorModel().getNumComponents() == 1) {
      int bits = image.getColorModel().getComponentSize(0);
      byte[] grey = new byte[w * h];
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          grey[y * w + x] =
              (byte)
                  (bits <= 8
                      ? row[x] << (8 - bits)
                      : Math.round(row[x] / (double) ((1 << bits) - 1) * 255));
        }
      }
      return new DecodedImage(w, h, 1, grey, false);
    }
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

  private static DecodeOutcome corrupt(Exception e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return reject(DecodeOutcome.Reason.CORRUPT, "the image data cannot be decoded: " + why);
  }

  private static DecodeOutcome reject(DecodeOutcome.Reason reason, String message) {
    return new DecodeOutcome.Rejected(reason, message);
  }
}
