package dev.clipstream.jobs.ui;

import dev.clipstream.model.preprocess.DecodeOutcome;
import dev.clipstream.model.preprocess.DecodedImage;
import dev.clipstream.model.preprocess.ImageDecoder;
import dev.clipstream.model.preprocess.PreprocessOptions;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * Small PNGs of the images, by event id, the most recent {@code capacity} kept: from the input
 * topic's images, or from a result's own thumbnail ({@code results.thumbnail-size}, the crop the
 * model saw) for events whose input the page has not read.
 */
final class Thumbnails {
  /** Longest side of a thumbnail; smaller images are kept at their size (the page scales them). */
  static final int SIDE = 128;

  /** The preprocessing's default limits, against decompression bombs as in the tagging job. */
  private final ImageDecoder decoder =
      new ImageDecoder(PreprocessOptions.DEFAULT_MAX_PIXELS, PreprocessOptions.DEFAULT_MAX_BYTES);

  private final Map<String, byte[]> byId;

  Thumbnails(int capacity) {
    this.byId =
        new LinkedHashMap<>(16, 0.75f, false) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Keeps a thumbnail of {@code encoded}; an image that does not decode is left out. */
  void add(String eventId, byte[] encoded) {
    if (!(decoder.decode(encoded) instanceof DecodeOutcome.Decoded decoded)) {
      return;
    }
    byte[] png = png(decoded.image().toRgb());
    synchronized (this) {
      byId.put(eventId, png);
    }
  }

  synchronized boolean contains(String eventId) {
    return byId.containsKey(eventId);
  }

  synchronized Optional<byte[]> get(String eventId) {
    return Optional.ofNullable(byId.get(eventId));
  }

  private static byte[] png(DecodedImage rgb) {
    BufferedImage full = new BufferedImage(rgb.width(), rgb.height(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < rgb.height(); y++) {
      for (int x = 0; x < rgb.width(); x++) {
        full.setRGB(x, y, rgb.at(x, y, 0) << 16 | rgb.at(x, y, 1) << 8 | rgb.at(x, y, 2));
      }
    }
    BufferedImage out = full;
    int longest = Math.max(rgb.width(), rgb.height());
    if (longest > SIDE) {
      int w = Math.max(1, rgb.width() * SIDE / longest);
      int h = Math.max(1, rgb.height() * SIDE / longest);
      out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      out.getGraphics().drawImage(full.getScaledInstance(w, h, Image.SCALE_SMOOTH), 0, 0, null);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(out, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
