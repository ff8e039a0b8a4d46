package dev.clipstream.model.shifts;

import dev.clipstream.model.preprocess.DecodeOutcome;
import dev.clipstream.model.preprocess.DecodedImage;
import dev.clipstream.model.preprocess.ImageDecoder;
import dev.clipstream.model.preprocess.JpegEncoder;
import java.awt.image.BufferedImage;

/**
 * Lossy JPEG re-encoding: written by the JDK's own JPEG writer (deterministic for the same pixels
 * and quality) and read back by clipstream's decoder, as the tagging job would read a repost.
 */
final class JpegRoundTrip {
  private static final ImageDecoder DECODER = new ImageDecoder(1L << 26, 1 << 26);

  private JpegRoundTrip() {}

  static DecodedImage apply(DecodedImage rgb, float quality) {
    BufferedImage image =
        new BufferedImage(rgb.width(), rgb.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = new byte[rgb.pixels().length];
    for (int i = 0; i < bgr.length; i += 3) {
      bgr[i] = rgb.pixels()[i + 2];
      bgr[i + 1] = rgb.pixels()[i + 1];
      bgr[i + 2] = rgb.pixels()[i];
    }
    image.getRaster().setDataElements(0, 0, rgb.width(), rgb.height(), bgr);
    DecodeOutcome decoded = DECODER.decode(JpegEncoder.encode(image, quality));
    if (decoded instanceof DecodeOutcome.Decoded ok) {
      return ok.image().toRgb();
    }
    throw new IllegalStateException("a JPEG written here did not decode: " + decoded);
  }
}
