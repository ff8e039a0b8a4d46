package dev.clipstream.model.shifts;

import dev.clipstream.model.preprocess.DecodeOutcome;
import dev.clipstream.model.preprocess.DecodedImage;
import dev.clipstream.model.preprocess.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Lossy JPEG re-encoding: written by the JDK's own JPEG writer (deterministic for the same pixels
 * and quality) and read back by clipstream's decoder, as the tagging job would read a repost.
 *
 * <p>Finding the writer uses ImageIO's registry, which is fine in the command line and the offline
 * trainer that use this class; it is not meant for code running inside a Flink job.
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
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageWriter writer = jdkWriter();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    DecodeOutcome decoded = DECODER.decode(bytes.toByteArray());
    if (decoded instanceof DecodeOutcome.Decoded ok) {
      return ok.image().toRgb();
    }
    throw new IllegalStateException("a JPEG written here did not decode: " + decoded);
  }

  /** The JDK's writer (java.desktop), not a plug-in's, so every machine encodes alike. */
  private static ImageWriter jdkWriter() {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter fallback = null;
    while (writers.hasNext()) {
      ImageWriter w = writers.next();
      if ("java.desktop".equals(w.getClass().getModule().getName())) {
        return w;
      }
      fallback = fallback == null ? w : fallback;
    }
    if (fallback == null) {
      throw new IllegalStateException("no JPEG writer in this JDK");
    }
    return fallback;
  }
}
