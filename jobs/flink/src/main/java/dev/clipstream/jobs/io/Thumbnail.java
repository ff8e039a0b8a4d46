package dev.clipstream.jobs.io;

import dev.clipstream.model.preprocess.ImagePreprocessor;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * A small JPEG of the image the model saw: the preprocessed centre crop, turned back into its exact
 * 8-bit pixels ({@link ImagePreprocessor#quantise}), scaled down by area averaging and written by
 * the JDK's JPEG writer. Made from the tensor, so the image is decoded once, and square, as the
 * crop is.
 */
public final class Thumbnail {
  /** JPEG quality of the thumbnails (ImageIO's 0..1 scale; 0.75 is its own default). */
  public static final float QUALITY = 0.8f;

  private static final Module JDK_IMAGEIO = ImageIO.class.getModule();

  /**
   * ImageIO's registry is one per JVM, filled with the plug-ins of the context class loader of the
   * thread that first touches it; on a TaskManager that may be a job's class loader, closed when
   * the job ends (docs/operations.md). So it is made here, if this JVM has none yet, with the
   * platform class loader as context, and only the JDK's own JPEG writer is taken from it.
   */
  private static final IIORegistry REGISTRY = registryWithoutJobPlugins();

  private Thumbnail() {}

  private static IIORegistry registryWithoutJobPlugins() {
    Thread thread = Thread.currentThread();
    ClassLoader context = thread.getContextClassLoader();
    thread.setContextClassLoader(ClassLoader.getPlatformClassLoader());
    try {
      return IIORegistry.getDefaultInstance();
    } finally {
      thread.setContextClassLoader(context);
    }
  }

  private static ImageWriter jdkJpegWriter() {
    Iterator<ImageWriterSpi> providers =
        REGISTRY.getServiceProviders(
            ImageWriterSpi.class,
            spi ->
                spi.getClass().getModule() == JDK_IMAGEIO
                    && Arrays.asList(((ImageWriterSpi) spi).getFormatNames()).contains("jpeg"),
            true);
    if (!providers.hasNext()) {
      throw new IllegalStateException("this Java runtime has no JPEG writer");
    }
    try {
      return providers.next().createWriterInstance();
    } catch (IOException e) {
      throw new UncheckedIOException("the JDK's JPEG writer did not start", e);
    }
  }

  /**
   * The JPEG of {@code chw} ({@code [3, size, size]}, normalised) at {@code side} pixels square.
   */
  public static byte[] jpeg(float[] chw, int size, int side) {
    byte[] rgb = ImagePreprocessor.quantise(chw);
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
    return write(small);
  }

  private static byte[] write(BufferedImage image) {
    ImageWriter writer = jdkJpegWriter();
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(QUALITY);
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("writing a JPEG to memory cannot fail", e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
