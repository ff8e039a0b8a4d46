package dev.clipstream.model.preprocess;

import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ImageWriterSpi;

/**
 * The JDK's own image readers (module {@code java.desktop}), picked out of ImageIO's registry by
 * their module rather than asked for by format name.
 *
 * <p>Why: the registry is one per JVM and is filled, the first time anything touches ImageIO, with
 * the plug-ins of the calling thread's context class loader. On a Flink TaskManager that is a job's
 * user-code class loader, which is closed when the job ends; a plug-in registered from it (such as
 * TwelveMonkeys' readers and stream factories in our jar) stays in the registry and fails the next
 * job with a {@code ClassNotFoundException}. So the registry is first made here with the platform
 * class loader as context, which keeps job jars out of it, and lookups only ever return the JDK's
 * readers, whatever else some other code registered.
 */
final class JdkImageReaders {

  private static final Module JDK_IMAGEIO = ImageIO.class.getModule();
  private static final IIORegistry REGISTRY = registryWithoutJobPlugins();

  private JdkImageReaders() {}

  /** Makes the registry, if this JVM has none yet, without the plug-ins of job class loaders. */
  static void prepare() {
    // Loading this class did the work; the call only makes sure it happened.
  }

  /** A new JDK reader for the ImageIO format name {@code formatName} ("png", "jpeg", ...). */
  static ImageReader forFormat(String formatName) throws IOException {
    Iterator<ImageReaderSpi> providers =
        REGISTRY.getServiceProviders(
            ImageReaderSpi.class,
            spi ->
                spi.getClass().getModule() == JDK_IMAGEIO
                    && Arrays.stream(((ImageReaderSpi) spi).getFormatNames())
                        .anyMatch(formatName::equalsIgnoreCase),
            true);
    if (!providers.hasNext()) {
      throw new IOException("this Java runtime has no " + formatName + " reader");
    }
    return providers.next().createReaderInstance(null);
  }

  /** A new JDK writer for the ImageIO format name {@code formatName}. */
  static ImageWriter writerFor(String formatName) throws IOException {
    Iterator<ImageWriterSpi> providers =
        REGISTRY.getServiceProviders(
            ImageWriterSpi.class,
            spi ->
                spi.getClass().getModule() == JDK_IMAGEIO
                    && Arrays.stream(((ImageWriterSpi) spi).getFormatNames())
                        .anyMatch(formatName::equalsIgnoreCase),
            true);
    if (!providers.hasNext()) {
      throw new IOException("this Java runtime has no " + formatName + " writer");
    }
    return providers.next().createWriterInstance(null);
  }

  private static IIORegistry registryWithoutJobPlugins() {
    Thread thread = Thread.currentThread();
    ClassLoader context = thread.getContextClassLoader();
    thread.setContextClassLoader(ClassLoader.getPlatformClassLoader());
    try {
      IIORegistry registry = IIORegistry.getDefaultInstance();
      ImageIO.setUseCache(false); // decode in memory, never through temporary files
      return registry;
    } finally {
      thread.setContextClassLoader(context);
    }
  }
}
