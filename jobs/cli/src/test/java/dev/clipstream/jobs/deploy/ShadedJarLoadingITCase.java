package dev.clipstream.jobs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clipstream.jobs.cluster.Classpaths;
import dev.clipstream.model.preprocess.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar as a Flink cluster loads it: a class loader with only the cluster's jars
 * (those of {@code deploy/standalone/pom.xml}, nothing of this build) and over it Flink's own
 * user-code class loader for the jar, made by {@code PackagedProgram} as the JobManager's {@code
 * /jars/<id>/run} does. Each entry point builds its job graph there.
 */
class ShadedJarLoadingITCase {
  private static URLClassLoader flink;
  private static Path jar;

  @BeforeAll
  static void clusterClassLoader() throws Exception {
    jar = Path.of(System.getProperty("clipstream.flink.jar", ""));
    assertTrue(Files.isRegularFile(jar), "no job jar at " + jar);
    Path root = Path.of(System.getProperty("clipstream.root", ".."));
    List<URL> urls = new ArrayList<>();
    for (String entry : new Classpaths(root).flink().split(File.pathSeparator)) {
      urls.add(Path.of(entry).toUri().toURL());
    }
    flink =
        new URLClassLoader(
            "flink-cluster", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
  }

  @AfterAll
  static void close() throws Exception {
    flink.close();
  }

  @Test
  void taggingJobBuildsItsGraphInTheUserCodeClassLoader() throws Exception {
    List<String> vertices =
        jobGraph(
            TaggingJobMain.class.getName(),
            "--kafka.bootstrap-servers",
            "127.0.0.1:9",
            "--execution.checkpointing.interval",
            "2 s");
    System.out.println("shaded jar: tagging job graph " + vertices);
    assertTrue(vertices.stream().anyMatch(v -> v.contains("kafka-images")), vertices.toString());
    assertTrue(
        vertices.stream().anyMatch(v -> v.startsWith("batch-encode-label")), vertices.toString());
  }

  @Test
  void trainingJobBuildsItsGraphInTheUserCodeClassLoader() throws Exception {
    List<String> vertices =
        jobGraph(
            TrainingJobMain.class.getName(),
            "--kafka.bootstrap-servers",
            "127.0.0.1:9",
            "--model.store",
            Files.createTempDirectory("store").toString(),
            "--execution.checkpointing.interval",
            "2 s");
    System.out.println("shaded jar: training job graph " + vertices);
    assertTrue(
        vertices.stream().anyMatch(v -> v.contains("train-contrastive")), vertices.toString());
  }

  /**
   * Builds the job graph of {@code entryClass} from the jar through Flink's client classes, all
   * reached by reflection: the test's own classpath holds the jobs and Flink, and must not leak in.
   */
  private static List<String> jobGraph(String entryClass, String... args) throws Exception {
    Class<?> configurationClass = flink.loadClass("org.apache.flink.configuration.Configuration");
    Object configuration = configuration(configurationClass);
    Class<?> programClass = flink.loadClass("org.apache.flink.client.program.PackagedProgram");
    Object program = program(entryClass, configurationClass, configuration, args);
    try {
      ClassLoader user =
          (ClassLoader) programClass.getMethod("getUserCodeClassLoader").invoke(program);
      Class<?> main = user.loadClass(entryClass);
      assertNotSame(TaggingJobMain.class.getClassLoader(), main.getClassLoader());
      assertEquals(
          jar.toUri().toURL().toString(),
          main.getProtectionDomain().getCodeSource().getLocation().toString(),
          "the entry class comes from the jar");
      assertSame(
          flink,
          user.loadClass("org.apache.flink.streaming.api.environment.StreamExecutionEnvironment")
              .getClassLoader(),
          "Flink comes from the cluster");
      Object graph =
          flink
              .loadClass("org.apache.flink.client.program.PackagedProgramUtils")
              .getMethod(
                  "createJobGraph", programClass, configurationClass, int.class, boolean.class)
              .invoke(null, program, configuration, 2, false);
      List<String> names = new ArrayList<>();
      for (Object vertex : (Iterable<?>) graph.getClass().getMethod("getVertices").invoke(graph)) {
        names.add((String) vertex.getClass().getMethod("getName").invoke(vertex));
      }
      return names;
    } finally {
      programClass.getMethod("close").invoke(program);
    }
  }

  /** Flink's configuration for the programs: DJL parent-first, as the cluster's is. */
  private static Object configuration(Class<?> configurationClass) throws Exception {
    return configurationClass
        .getMethod("fromMap", Map.class)
        .invoke(null, Map.of("classloader.parent-first-patterns.additional", "ai.djl."));
  }

  /** A {@code PackagedProgram} of the jar, as the JobManager makes one per submitted job. */
  private static Object program(
      String entryClass, Class<?> configurationClass, Object configuration, String... args)
      throws Exception {
    Class<?> programClass = flink.loadClass("org.apache.flink.client.program.PackagedProgram");
    Object builder = programClass.getMethod("newBuilder").invoke(null);
    Class<?> builderClass = builder.getClass();
    builderClass.getMethod("setJarFile", File.class).invoke(builder, jar.toFile());
    builderClass.getMethod("setEntryPointClassName", String.class).invoke(builder, entryClass);
    builderClass.getMethod("setArguments", String[].class).invoke(builder, (Object) args);
    builderClass.getMethod("setConfiguration", configurationClass).invoke(builder, configuration);
    return builderClass.getMethod("build").invoke(builder);
  }

  /**
   * Two jobs one after the other, each in its own user-code class loader, as on one TaskManager:
   * each loads JNA and libjpeg-turbo from the jar and decodes a JPEG with it (JNA's native stub is
   * unpacked per class loader), where this machine has the library.
   */
  @Test
  void eachJobsClassLoaderDecodesJpegsWithLibjpegTurbo() throws Exception {
    assumeTrue(
        ImageDecoder.jpegDecoder().startsWith("libjpeg-turbo"),
        "libturbojpeg is not installed (apt-get install libturbojpeg0)");
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        image.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | 128);
      }
    }
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    ImageIO.write(image, "jpeg", jpeg);
    Class<?> configurationClass = flink.loadClass("org.apache.flink.configuration.Configuration");
    Class<?> programClass = flink.loadClass("org.apache.flink.client.program.PackagedProgram");
    for (int job = 0; job < 2; job++) {
      Object program =
          program(
              TaggingJobMain.class.getName(),
              configurationClass,
              configuration(configurationClass));
      try {
        ClassLoader user =
            (ClassLoader) programClass.getMethod("getUserCodeClassLoader").invoke(program);
        Class<?> decoder = user.loadClass(ImageDecoder.class.getName());
        assertNotSame(ImageDecoder.class, decoder);
        assertTrue(
            ((String) decoder.getMethod("jpegDecoder").invoke(null)).startsWith("libjpeg-turbo"),
            "job " + job + " decodes JPEGs with " + decoder.getMethod("jpegDecoder").invoke(null));
        Object outcome =
            decoder
                .getMethod("decode", byte[].class)
                .invoke(
                    decoder.getConstructor(long.class, int.class).newInstance(1L << 20, 1 << 20),
                    (Object) jpeg.toByteArray());
        assertEquals("Decoded", outcome.getClass().getSimpleName(), "job " + job + ": " + outcome);
      } finally {
        programClass.getMethod("close").invoke(program);
      }
    }
  }
}
