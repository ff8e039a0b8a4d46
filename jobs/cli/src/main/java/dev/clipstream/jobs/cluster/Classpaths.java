package dev.clipstream.jobs.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The classpaths of the cluster's processes, as Maven resolves them from {@code
 * deploy/standalone/pom.xml} (profile {@code flink}: JobManager, TaskManagers; {@code kafka}: the
 * brokers). Resolved once and kept in {@code deploy/standalone/target/<profile>.classpath} until
 * that pom changes.
 */
public final class Classpaths {
  /** The pom that lists what each kind of process runs. */
  public static final String POM = "deploy/standalone/pom.xml";

  private final Path project;

  /** Resolves against the checkout at {@code project} (where {@code mvnw} and the pom are). */
  public Classpaths(Path project) {
    this.project = project.toAbsolutePath().normalize();
    if (!Files.isRegularFile(this.project.resolve(POM))) {
      throw new IllegalArgumentException(
          this.project + " is not a clipstream checkout (no " + POM + ")");
    }
  }

  /** Flink's JobManager, TaskManager and CLI classpath. */
  public String flink() throws IOException {
    return resolve("flink");
  }

  /** A Kafka KRaft node's classpath. */
  public String kafka() throws IOException {
    return resolve("kafka");
  }

  /** The checkout a clipstream command runs from: the launcher says, else the working directory. */
  public static Path defaultProject() {
    String root = System.getProperty("clipstream.root");
    Path start = Path.of(root != null ? root : "").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(POM))) {
        return p;
      }
    }
    return start;
  }

  private String resolve(String profile) throws IOException {
    Path pom = project.resolve(POM);
    Path out = pom.resolveSibling("target").resolve(profile + ".classpath");
    if (!Files.isRegularFile(out)
        || Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(pom)) < 0) {
      runMaven(pom, profile, out);
    }
    String classpath = Files.readString(out, StandardCharsets.UTF_8).strip();
    if (classpath.isEmpty()) {
      throw new IOException("Maven resolved an empty classpath into " + out);
    }
    return classpath;
  }

  private void runMaven(Path pom, String profile, Path out) throws IOException {
    Files.createDirectories(out.getParent());
    Path log = out.resolveSibling(profile + ".classpath.log");
    List<String> command = new ArrayList<>();
    command.add(project.resolve("mvnw").toString());
    command.addAll(
        List.of(
            "-B",
            "-q",
            "-f",
            pom.toString(),
            "-P" + profile,
            "dependency:build-classpath",
            "-Dmdep.includeScope=runtime",
            "-Dmdep.outputFile=" + out));
    Process maven =
        new ProcessBuilder(command)
            .directory(project.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      if (maven.waitFor() != 0) {
        throw new IOException(
            "Maven could not resolve the " + profile + " classpath (see " + log + ")");
      }
    } catch (InterruptedException e) {
      maven.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while Maven resolved the " + profile + " classpath", e);
    }
  }
}
