package dev.clipstream.jobs.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Where a local cluster lives: its directory and the loopback ports of the JobManager and the
 * brokers. Saved as {@code cluster.properties} in the directory, so that {@code cluster status} and
 * {@code cluster down} in another JVM find the processes {@code cluster up} started.
 */
public record ClusterLayout(
    Path dir,
    int restPort,
    int rpcPort,
    int blobPort,
    List<Integer> brokerPorts,
    List<Integer> controllerPorts,
    int slotsPerTaskManager) {

  /** The host every process binds to and advertises. */
  public static final String HOST = "127.0.0.1";

  private static final String FILE = "cluster.properties";

  public ClusterLayout {
    dir = dir.toAbsolutePath().normalize();
    brokerPorts = List.copyOf(brokerPorts);
    controllerPorts = List.copyOf(controllerPorts);
    if (brokerPorts.size() != controllerPorts.size()) {
      throw new IllegalArgumentException("one controller port per broker");
    }
  }

  /**
   * A layout on free loopback ports ({@code restPort} 0: a free one too) for {@code brokers} KRaft
   * nodes.
   */
  public static ClusterLayout onFreePorts(
      Path dir, int restPort, int brokers, int slotsPerTaskManager) {
    List<Integer> ports = freePorts(2 + 2 * brokers + (restPort == 0 ? 1 : 0));
    int rest = restPort == 0 ? ports.remove(ports.size() - 1) : restPort;
    return new ClusterLayout(
        dir,
        rest,
        ports.get(0),
        ports.get(1),
        ports.subList(2, 2 + brokers),
        ports.subList(2 + brokers, 2 + 2 * brokers),
        slotsPerTaskManager);
  }

  /** The web UI and REST API of the JobManager. */
  public String restAddress() {
    return "http://" + HOST + ":" + restPort;
  }

  /** The brokers, as {@code bootstrap.servers} names them. */
  public String bootstrapServers() {
    return brokerPorts.stream().map(p -> HOST + ":" + p).collect(Collectors.joining(","));
  }

  /** Node ids of the KRaft nodes, 1 to n. */
  public List<Integer> nodeIds() {
    List<Integer> ids = new ArrayList<>();
    for (int i = 1; i <= brokerPorts.size(); i++) {
      ids.add(i);
    }
    return ids;
  }

  /** The PLAINTEXT port of node {@code id}. */
  public int brokerPort(int id) {
    return brokerPorts.get(id - 1);
  }

  /** The CONTROLLER port of node {@code id}. */
  public int controllerPort(int id) {
    return controllerPorts.get(id - 1);
  }

  /** One process's directory (config, data, log, pid) under the cluster's. */
  public Path processDir(String name) {
    return dir.resolve(name);
  }

  /** Where the job's checkpoints and savepoints go unless a job says otherwise. */
  public Path checkpointDir() {
    return dir.resolve("checkpoints");
  }

  public Path savepointDir() {
    return dir.resolve("savepoints");
  }

  /** Writes {@code cluster.properties}. */
  public void save() throws IOException {
    Properties p = new Properties();
    p.setProperty("rest.port", Integer.toString(restPort));
    p.setProperty("jobmanager.rpc.port", Integer.toString(rpcPort));
    p.setProperty("blob.server.port", Integer.toString(blobPort));
    p.setProperty("broker.ports", join(brokerPorts));
    p.setProperty("controller.ports", join(controllerPorts));
    p.setProperty("taskmanager.slots", Integer.toString(slotsPerTaskManager));
    Files.createDirectories(dir);
    try (Writer out = Files.newBufferedWriter(dir.resolve(FILE))) {
      p.store(out, "clipstream local cluster");
    }
  }

  /** Reads the layout that {@link #save} wrote in {@code dir}; empty when there is none. */
  public static java.util.Optional<ClusterLayout> load(Path dir) {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return java.util.Optional.empty();
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return java.util.Optional.of(
        new ClusterLayout(
            dir,
            Integer.parseInt(p.getProperty("rest.port")),
            Integer.parseInt(p.getProperty("jobmanager.rpc.port")),
            Integer.parseInt(p.getProperty("blob.server.port")),
            split(p.getProperty("broker.ports")),
            split(p.getProperty("controller.ports")),
            Integer.parseInt(p.getProperty("taskmanager.slots"))));
  }

  private static String join(List<Integer> ports) {
    return ports.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  private static List<Integer> split(String ports) {
    return Arrays.stream(ports.split(",")).map(Integer::parseInt).toList();
  }

  /** Ports free on the loopback interface now, all different (held open until all are found). */
  static List<Integer> freePorts(int n) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST));
        sockets.add(s);
        ports.add(s.getLocalPort());
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // the port is released either way
        }
      }
    }
  }
}
