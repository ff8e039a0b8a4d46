package dev.clipstream.jobs.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One cluster process: a JVM started in its own directory with its output in {@code <name>.out} and
 * its pid in {@code <name>.pid}. It outlives the JVM that started it (nothing pipes to it), so
 * another JVM can find it by its pid file and stop it.
 */
public final class JavaProcess {
  private final String name;
  private final Path dir;
  private final ProcessHandle handle;

  private JavaProcess(String name, Path dir, ProcessHandle handle) {
    this.name = name;
    this.dir = dir;
    this.handle = handle;
  }

  /** Starts {@code java <jvmArgs> -cp <classpath> <mainClass> <args>} in {@code dir}. */
  public static JavaProcess start(
      String name,
      Path dir,
      String classpath,
      List<String> jvmArgs,
      String mainClass,
      List<String> args)
      throws IOException {
    Files.createDirectories(dir);
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(jvmArgs);
    // The directory on the command line tells this process apart from a later one with its pid.
    command.add("-Dclipstream.process=" + dir);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".out").toFile()));
    builder.environment().remove("CLASSPATH");
    Process process = builder.start();
    Files.writeString(pidFile(dir, name), Long.toString(process.pid()), StandardCharsets.UTF_8);
    return new JavaProcess(name, dir, process.toHandle());
  }

  /** Runs a short-lived JVM to its end and returns its output. */
  public static String run(Path dir, String classpath, String mainClass, List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-cp", classpath, mainClass));
    command.addAll(args);
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IOException(mainClass + " " + args + " exited " + p.exitValue() + ": " + out);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + mainClass, e);
    }
    return out;
  }

  /** The process that {@link #start} left in {@code dir} under {@code name}, if it still runs. */
  public static Optional<JavaProcess> find(String name, Path dir) {
    Path pid = pidFile(dir, name);
    if (!Files.isRegularFile(pid)) {
      return Optional.empty();
    }
    try {
      long id = Long.parseLong(Files.readString(pid, StandardCharsets.UTF_8).strip());
      return ProcessHandle.of(id)
          .filter(ProcessHandle::isAlive)
          .filter(h -> h.info().commandLine().map(c -> c.contains(dir.toString())).orElse(true))
          .map(h -> new JavaProcess(name, dir, h));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  public String name() {
    return name;
  }

  public Path dir() {
    return dir;
  }

  public long pid() {
    return handle.pid();
  }

  public boolean isAlive() {
    return handle.isAlive();
  }

  /** SIGKILL: the process gets no chance to clean up, as when a machine dies. */
  public void kill() {
    handle.destroyForcibly();
    awaitExit(Duration.ofSeconds(30));
  }

  /** SIGTERM (a graceful stop); returns without waiting. */
  public void terminate() {
    handle.destroy();
  }

  /** Waits until the process has exited; true when it did within {@code timeout}. */
  public boolean awaitExit(Duration timeout) {
    try {
      handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !handle.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !handle.isAlive();
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited after {@code grace}. */
  public void stop(Duration grace) {
    terminate();
    if (!awaitExit(grace)) {
      kill();
    }
  }

  static Path pidFile(Path dir, String name) {
    return dir.resolve(name + ".pid");
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
