package dev.clipstream.model.preprocess;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.IIOServiceProvider;
import javax.imageio.spi.ImageInputStreamSpi;
import javax.imageio.spi.ImageReaderSpi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a Flink TaskManager does to ImageIO: an earlier job's user-code class loader registered its
 * jar's ImageIO plug-ins (TwelveMonkeys' readers and stream factories) in the JVM-wide registry and
 * was then closed. A later job's decoder must still read every format, never touching those
 * plug-ins. (Before the decoder kept off the registry, every image failed here with {@code
 * ClassNotFoundException: com.twelvemonkeys.imageio.stream.BufferedChannelImageInputStream}, as on
 * the cluster.)
 */
class StaleImageIoPluginTest {

  /** One class of each TwelveMonkeys jar the WebP plug-in needs. */
  private static final List<String> PLUGIN_JARS_BY_CLASS =
      List.of(
          "com.twelvemonkeys.imageio.stream.BufferedInputStreamImageInputStreamSpi",
          "com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi",
          "com.twelvemonkeys.imageio.metadata.Directory",
          "com.twelvemonkeys.lang.Validate",
          "com.twelvemonkeys.io.FileUtil",
          "com.twelvemonkeys.image.ImageUtil");

  private URLClassLoader earlierJob;
  private final List<IIOServiceProvider> registered = new ArrayList<>();

  @BeforeEach
  void anEarlierJobRegisteredItsPluginsAndEnded() throws Exception {
    List<URL> jars = new ArrayList<>();
    for (String name : PLUGIN_JARS_BY_CLASS) {
      jars.add(Class.forName(name).getProtectionDomain().getCodeSource().getLocation());
    }
    earlierJob = new URLClassLoader(jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    IIORegistry registry = IIORegistry.getDefaultInstance();
    Thread thread = Thread.currentThread();
    ClassLoader context = thread.getContextClassLoader();
    thread.setContextClassLoader(earlierJob);
    try {
      registry.registerApplicationClasspathSpis(); // what ImageIO's first use on a task thread does
    } finally {
      thread.setContextClassLoader(context);
    }
    for (Class<?> category : List.of(ImageReaderSpi.class, ImageInputStreamSpi.class)) {
      registry
          .getServiceProviders(
              category, spi -> spi.getClass().getClassLoader() == earlierJob, false)
          .forEachRemaining(spi -> registered.add((IIOServiceProvider) spi));
    }
    earlierJob.close();
  }

  @AfterEach
  void forgetTheEarlierJob() {
    registered.forEach(IIORegistry.getDefaultInstance()::deregisterServiceProvider);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "coffee.png",
        "jpeg/astronaut-q90-420.jpg",
        "formats/coffee-lossless.webp",
        "formats/coffee.tiff",
        "formats/astronaut-anim.gif"
      })
  void aLaterJobStillDecodesEveryFormat(String path) throws IOException {
    assertInstanceOf(
        ClassNotFoundException.class,
        assertThrows(NoClassDefFoundError.class, this::useAStalePlugin).getCause(),
        "the stale plug-in is there and broken, as on the TaskManager");

    DecodeOutcome outcome = new ImageDecoder(100_000_000L, 64 << 20).decode(resource(path));

    assertInstanceOf(DecodeOutcome.Decoded.class, outcome, () -> path + ": " + outcome);
  }

  /** What ImageIO's own lookups would do with the plug-ins of the closed class loader. */
  private void useAStalePlugin() throws IOException {
    ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}));
  }

  private static byte[] resource(String path) throws IOException {
    try (InputStream in =
        StaleImageIoPluginTest.class.getResourceAsStream(
            "/dev/clipstream/model/preprocess/" + path)) {
      return in.readAllBytes();
    }
  }
}
