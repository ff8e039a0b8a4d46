package dev.clipstream.jobs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.cluster.Classpaths;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    Object configuration =
        configurationClass
            .getMethod("fromMap", Map.class)
            .invoke(null, Map.of("classloader.parent-first-patterns.additional", "ai.djl."));
    Class<?> programClass = flink.loadClass("org.apache.flink.client.program.PackagedProgram");
    Object builder = programClass.getMethod("newBuilder").invoke(null);
    Class<?> builderClass = builder.getClass();
    builderClass.getMethod("setJarFile", File.class).invoke(builder, jar.toFile());
    builderClass.getMethod("setEntryPointClassName", String.class).invoke(builder, entryClass);
    builderClass.getMethod("setArguments", String[].class).invoke(builder, (Object) args);
    builderClass.getMethod("setConfiguration", configurationClass).invoke(builder, configuration);
    Object program = builderClass.getMethod("build").invoke(builder);
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
}
