package dev.clipstream.model.preprocess;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes JPEGs with the JDK's own writer, taken from ImageIO's registry by its module as {@link
 * JdkImageReaders} takes the readers: the same bytes on every machine for the same pixels and
 * quality, and safe inside a Flink job (no plug-in of a job's class loader is ever used).
 */
public final class JpegEncoder {
  private JpegEncoder() {}

  /** {@code image} as a baseline JPEG at {@code quality} (0 to 1, the JDK writer's scale). */
  public static byte[] encode(BufferedImage image, float quality) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    ImageWriter writer;
    try {
      writer = JdkImageReaders.writerFor("jpeg");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("writing a JPEG to memory failed", e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
