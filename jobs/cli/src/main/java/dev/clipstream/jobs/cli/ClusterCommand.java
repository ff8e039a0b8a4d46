package dev.clipstream.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipstream.jobs.cluster.Classpaths;
import dev.clipstream.jobs.cluster.ClusterLayout;
import dev.clipstream.jobs.cluster.JavaProcess;
import dev.clipstream.jobs.cluster.LocalCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clipstream cluster up|down|status}: a Flink session cluster and a three-broker Kafka
 * cluster on this machine, every process its own JVM, from Maven Central artifacts.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description =
        "A local multi-process cluster: Flink (1 JobManager, TaskManagers) and 3 Kafka KRaft brokers.",
    subcommands = {
      ClusterCommand.Up.class,
      ClusterCommand.Down.class,
      ClusterCommand.Status.class,
      CommandLine.HelpCommand.class
    })
final class ClusterCommand {

  static final String DEFAULT_DIR = "${sys:java.io.tmpdir}/clipstream-cluster";

  /** {@code cluster up}: starts the processes and leaves them running. */
  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description = "Start the cluster's processes (they keep running after this command ends).")
  static final class Up implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ClusterDirOption cluster;

    @Option(
        names = "--task-managers",
        defaultValue = "2",
        description = "TaskManager processes (default ${DEFAULT-VALUE}).")
    int taskManagers;

    @Option(
        names = "--slots",
        defaultValue = "2",
        description = "Task slots per TaskManager (default ${DEFAULT-VALUE}).")
    int slots;

    @Option(
        names = "--rest-port",
        defaultValue = "8081",
        description =
            "Port of the web UI and REST API, 0 for a free one (default ${DEFAULT-VALUE}).")
    int restPort;

    @Option(
        names = "--project",
        description = "The clipstream checkout whose deploy/standalone/pom.xml lists the jars.")
    Path project;

    @Override
    public Integer call() throws Exception {
      Path dir = cluster.dir;
      if (taskManagers < 1 || slots < 1) {
        throw new UserError("--task-managers and --slots must be at least 1");
      }
      if (!LocalCluster.running(dir).isEmpty()) {
        throw new UserError("a cluster runs in " + dir + " already (clipstream cluster status)");
      }
      if (Files.exists(dir.resolve("kafka")) || Files.exists(dir.resolve("flink"))) {
        throw new UserError(dir + " holds a stopped cluster: clipstream cluster down --dir " + dir);
      }
      Classpaths classpaths;
      try {
        classpaths = new Classpaths(project != null ? project : Classpaths.defaultProject());
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage() + "; name it with --project");
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("Resolving the cluster's jars and starting its processes ...");
      out.flush();
      long start = System.nanoTime();
      ClusterLayout layout = ClusterLayout.onFreePorts(dir, restPort, 3, slots);
      LocalCluster cluster;
      try {
        cluster = LocalCluster.start(layout, classpaths, taskManagers);
      } catch (IOException e) {
        throw new UserError("the cluster did not start: " + e.getMessage(), e);
      }
      out.printf("Cluster up in %.1f s (%s)%n", (System.nanoTime() - start) / 1e9, layout.dir());
      printWhere(out, cluster.layout(), taskManagers);
      out.printf("Stop it with: clipstream cluster down --dir %s%n", layout.dir());
      return 0;
    }
  }

  /** {@code cluster down}: stops every process and removes the cluster's directory. */
  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description = "Stop the cluster's processes and delete its directory.")
  static final class Down implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ClusterDirOption cluster;

    @Option(names = "--keep", description = "Keep the directory (logs, checkpoints, topics).")
    boolean keep;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      Path dir = cluster.dir;
      if (!Files.isDirectory(dir)) {
        out.printf("No cluster in %s%n", dir);
        return 0;
      }
      List<String> stopped = LocalCluster.stop(dir);
      out.printf(
          "Stopped %s%n",
          stopped.isEmpty() ? "nothing (no process ran)" : String.join(", ", stopped));
      if (!keep) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
        out.printf("Deleted %s%n", dir);
      }
      return 0;
    }
  }

  /** {@code cluster status}: which processes run, and what the JobManager and brokers report. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show the cluster's processes, TaskManagers, slots and jobs; exit 1 when down.")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ClusterDirOption cluster;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Path dir = cluster.dir;
      var layout = ClusterLayout.load(dir);
      if (layout.isEmpty()) {
        out.printf("No cluster in %s%n", dir);
        return 1;
      }
      List<JavaProcess> running = LocalCluster.running(dir);
      out.printf(
          "Processes: %s%n",
          running.isEmpty()
              ? "none"
              : running.stream()
                  .map(p -> p.name() + " (pid " + p.pid() + ")")
                  .collect(Collectors.joining(", ")));
      printWhere(out, layout.get(), -1);
      try {
        JsonNode overview =
            new dev.clipstream.jobs.cluster.RestClient(layout.get().restAddress()).overview();
        out.printf(
            "JobManager: Flink %s, %d TaskManagers, %d of %d slots free, %d jobs running%n",
            overview.path("flink-version").asText(),
            overview.path("taskmanagers").asInt(),
            overview.path("slots-available").asInt(),
            overview.path("slots-total").asInt(),
            overview.path("jobs-running").asInt());
      } catch (IOException e) {
        out.printf("JobManager: not answering (%s)%n", e.getMessage());
      }
      return running.isEmpty() ? 1 : 0;
    }
  }

  static void printWhere(PrintWriter out, ClusterLayout layout, int taskManagers) {
    out.printf(
        "  Flink web UI and REST: %s%s%n",
        layout.restAddress(),
        taskManagers > 0
            ? "  (1 JobManager, "
                + taskManagers
                + " TaskManagers x "
                + layout.slotsPerTaskManager()
                + " slots)"
            : "");
    out.printf(
        "  Kafka bootstrap servers: %s  (%d KRaft nodes, replication 3, min.insync.replicas 2)%n",
        layout.bootstrapServers(), layout.brokerPorts().size());
    out.printf("  Logs: %s/flink/*/log, %s/kafka/*/log%n", layout.dir(), layout.dir());
  }
}
