package dev.clipstream.jobs.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The local cluster: a Flink session cluster (one JobManager, TaskManagers) and a KRaft cluster,
 * every one a separate JVM, on the loopback ports of a {@link ClusterLayout}. {@link #start} brings
 * it up and waits until the brokers and TaskManagers have registered; {@link #close} (or {@link
 * #stop} from another JVM) stops every process.
 */
public final class LocalCluster implements AutoCloseable {
  /** Generous: the processes start on a loaded 2-core machine (about 10 s each when idle). */
  static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  /** How often a process that exits at start (see {@link #startJobManager}) is started. */
  static final int START_ATTEMPTS = 3;

  private final ClusterLayout layout;
  private final FlinkProcesses flink;
  private final KafkaProcesses kafka;
  private final Map<String, JavaProcess> processes = new LinkedHashMap<>();
  private final List<String> killed = new ArrayList<>();
  private int nextTaskManager;

  private LocalCluster(ClusterLayout layout, Classpaths classpaths) throws IOException {
    this.layout = layout;
    this.flink = new FlinkProcesses(layout, classpaths.flink());
    this.kafka = new KafkaProcesses(layout, classpaths.kafka());
  }

  /**
   * Starts the brokers, the JobManager and {@code taskManagers} TaskManagers together and waits
   * until all have registered.
   *
   * @throws IOException when a process does not come up (its log is named in the message)
   */
  public static LocalCluster start(ClusterLayout layout, Classpaths classpaths, int taskManagers)
      throws IOException, InterruptedException {
    if (Files.exists(layout.dir().resolve("kafka"))
        || Files.exists(layout.dir().resolve("flink"))) {
      throw new IOException(
          layout.dir() + " holds a cluster already: stop it (cluster down) or choose another dir");
    }
    LocalCluster cluster = new LocalCluster(layout, classpaths);
    try {
      layout.save();
      Files.createDirectories(layout.checkpointDir());
      Files.createDirectories(layout.savepointDir());
      cluster.kafka.format();
      for (int id : layout.nodeIds()) {
        cluster.processes.put(KafkaProcesses.nodeName(id), cluster.kafka.start(id));
      }
      cluster.awaitBrokers(layout.nodeIds().size());
      // One stage after the other: Pekko's remoting must start within a fixed 10 s (Flink's
      // pekko.startup-timeout does not reach Pekko 1's classic remoting), which a JobManager
      // starting beside five other JVMs on two busy cores missed ("Could not create actor
      // system: Futures timed out after [10000 milliseconds]").
      cluster.startJobManager();
      for (int i = 0; i < taskManagers; i++) {
        cluster.startTaskManager();
      }
      cluster.awaitTaskManagers(taskManagers);
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  public ClusterLayout layout() {
    return layout;
  }

  public RestClient rest() {
    return new RestClient(layout.restAddress());
  }

  public String bootstrapServers() {
    return layout.bootstrapServers();
  }

  /** Starts the JobManager, again if it dies at start (see above), until its REST API answers. */
  private void startJobManager() throws IOException, InterruptedException {
    RestClient rest = rest();
    for (int attempt = 1; ; attempt++) {
      JavaProcess jm = flink.startJobManager();
      processes.put(jm.name(), jm);
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (jm.isAlive() && System.nanoTime() < deadline) {
        try {
          rest.overview();
          return;
        } catch (IOException notYet) {
          Thread.sleep(250);
        }
      }
      if (jm.isAlive() || attempt == START_ATTEMPTS) {
        throw new IOException(
            "the JobManager did not start; see " + flink.dir(FlinkProcesses.JOB_MANAGER));
      }
      System.err.printf(
          "clipstream cluster: the JobManager exited at start, attempt %d%n", attempt);
    }
  }

  /** Starts one more TaskManager process and returns its name (its resource id). */
  public String startTaskManager() throws IOException {
    int index = ++nextTaskManager;
    JavaProcess tm = flink.startTaskManager(index);
    processes.put(tm.name(), tm);
    return tm.name();
  }

  /** SIGKILLs a process by name ({@code taskmanager-1}, {@code node-2}, {@code jobmanager}). */
  public void kill(String name) {
    JavaProcess p = processes.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no process " + name + " in " + processes.keySet());
    }
    killed.add(name);
    p.kill();
  }

  /** Starts a KRaft node again on its data (after a kill). */
  public void restartBroker(int id) throws IOException {
    killed.remove(KafkaProcesses.nodeName(id));
    processes.put(KafkaProcesses.nodeName(id), kafka.start(id));
  }

  /** Waits until the JobManager counts {@code n} registered TaskManagers. */
  public void awaitTaskManagers(int n) throws IOException, InterruptedException {
    RestClient rest = rest();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    int seen = -1;
    Map<String, Integer> attempts = new LinkedHashMap<>();
    while (System.nanoTime() < deadline) {
      restartTaskManagersThatDiedAtStart(attempts);
      requireAlive();
      try {
        seen = rest.overview().path("taskmanagers").asInt();
        if (seen == n) {
          return;
        }
      } catch (IOException notYet) {
        // the REST endpoint is still starting
      }
      Thread.sleep(250);
    }
    throw new IOException(
        n
            + " TaskManagers did not register ("
            + seen
            + " did); see the logs under "
            + layout.dir().resolve("flink"));
  }

  /** A TaskManager can miss Pekko's 10 s start window as the JobManager can: start it again. */
  private void restartTaskManagersThatDiedAtStart(Map<String, Integer> attempts)
      throws IOException {
    for (JavaProcess p : List.copyOf(processes.values())) {
      String name = p.name();
      if (name.startsWith("taskmanager-") && !p.isAlive() && !killed.contains(name)) {
        int attempt = attempts.merge(name, 1, Integer::sum);
        if (attempt >= START_ATTEMPTS) {
          return; // requireAlive reports it
        }
        System.err.printf("clipstream cluster: %s exited at start, attempt %d%n", name, attempt);
        JavaProcess again =
            flink.startTaskManager(Integer.parseInt(name.substring("taskmanager-".length())));
        processes.put(name, again);
      }
    }
  }

  /** Waits until the TaskManager {@code name} (a resource id) has registered. */
  public void awaitTaskManager(String name) throws IOException, InterruptedException {
    RestClient rest = rest();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (rest.taskManagers().contains(name)) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IOException(name + " did not register; see " + flink.dir(name));
  }

  /** Waits until the brokers' metadata shows {@code n} nodes. */
  public void awaitBrokers(int n) throws IOException, InterruptedException {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    // An admin client before the ports listen logs a warning per node every few milliseconds.
    for (int id : layout.nodeIds()) {
      while (!listens(layout.brokerPort(id)) && System.nanoTime() < deadline) {
        requireAlive();
        Thread.sleep(250);
      }
    }
    int seen = -1;
    try (Admin admin = Admin.create(p)) {
      while (System.nanoTime() < deadline) {
        requireAlive();
        try {
          seen = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
          if (seen == n) {
            return;
          }
        } catch (ExecutionException | java.util.concurrent.TimeoutException notYet) {
          // no broker answers yet
        }
        Thread.sleep(250);
      }
    }
    throw new IOException(n + " brokers did not come up (" + seen + " did); see " + layout.dir());
  }

  private static boolean listens(int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress(ClusterLayout.HOST, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void requireAlive() throws IOException {
    for (JavaProcess p : processes.values()) {
      if (!p.isAlive() && !killed.contains(p.name())) {
        throw new IOException(p.name() + " exited at start; see its log under " + p.dir());
      }
    }
  }

  /** Stops every process: all at once with SIGTERM (brokers leave together), then SIGKILL. */
  @Override
  public void close() {
    stopAll(new ArrayList<>(processes.values()));
  }

  /**
   * Stops the cluster that {@code cluster up} left in {@code dir}; returns the names of the
   * processes it stopped.
   */
  public static List<String> stop(Path dir) {
    List<JavaProcess> running = running(dir);
    stopAll(running);
    return running.stream().map(JavaProcess::name).toList();
  }

  /** The cluster processes under {@code dir} that still run. */
  public static List<JavaProcess> running(Path dir) {
    List<JavaProcess> out = new ArrayList<>();
    Path flinkDir = dir.resolve("flink");
    Path kafkaDir = dir.resolve("kafka");
    for (Path parent : List.of(kafkaDir, flinkDir)) {
      if (!Files.isDirectory(parent)) {
        continue;
      }
      try (var children = Files.list(parent)) {
        for (Path child : children.sorted().toList()) {
          Optional<JavaProcess> p = JavaProcess.find(child.getFileName().toString(), child);
          p.ifPresent(out::add);
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return out;
  }

  private static void stopAll(List<JavaProcess> processes) {
    // The last KRaft node to leave waits minutes for a quorum that is gone; SIGTERM to all three
    // at once lets them leave together (about 7 s).
    processes.forEach(JavaProcess::terminate);
    for (JavaProcess p : processes) {
      if (!p.awaitExit(Duration.ofSeconds(30))) {
        p.kill();
      }
    }
  }
}
