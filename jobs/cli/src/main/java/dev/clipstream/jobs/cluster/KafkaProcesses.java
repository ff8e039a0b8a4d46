package dev.clipstream.jobs.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka KRaft cluster of separate JVMs ({@code kafka.Kafka server.properties}), each node broker
 * and controller, under {@code <cluster>/kafka/node-<id>/}: replication factor 3 and {@code
 * min.insync.replicas} 2 for every topic the cluster creates itself, the transaction state log
 * included, so one node may die without losing a committed record.
 */
public final class KafkaProcesses {
  static final String MAIN = "kafka.Kafka";
  static final String STORAGE_TOOL = "kafka.tools.StorageTool";

  static final List<String> JVM =
      List.of(
          "-Xmx384m",
          "-Xms384m",
          "-XX:+UseG1GC",
          "-XX:MaxGCPauseMillis=20",
          "-XX:InitiatingHeapOccupancyPercent=35",
          "-Djava.awt.headless=true");

  private final ClusterLayout layout;
  private final String classpath;

  public KafkaProcesses(ClusterLayout layout, String classpath) {
    this.layout = layout;
    this.classpath = classpath;
  }

  public static String nodeName(int id) {
    return "node-" + id;
  }

  public Path dir(int id) {
    return layout.processDir("kafka").resolve(nodeName(id));
  }

  /**
   * Writes each node's {@code server.properties} and formats its log dir with one cluster id (the
   * nodes format in parallel: about a second of JVM start each).
   */
  public void format() throws IOException {
    String clusterId = Uuid.randomUuid().toString();
    List<CompletableFuture<String>> formats = new ArrayList<>();
    for (int id : layout.nodeIds()) {
      Path properties = writeProperties(id);
      formats.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  // transaction.version=1, as the embedded broker: with Kafka 4's default (2) a
                  // restarted Flink committer logs false "producer fenced ... data loss" errors.
                  return JavaProcess.run(
                      dir(id),
                      classpath,
                      STORAGE_TOOL,
                      List.of(
                          "format",
                          "-t",
                          clusterId,
                          "-c",
                          properties.toString(),
                          "--feature",
                          "transaction.version=1"));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              }));
    }
    try {
      for (CompletableFuture<String> f : formats) {
        f.join();
      }
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof UncheckedIOException u ? u.getCause() : new IOException(e);
    }
  }

  /** Starts node {@code id} on its formatted dir (also a node that was killed: same dir). */
  public JavaProcess start(int id) throws IOException {
    Path dir = dir(id);
    Path log4j = dir.resolve("log4j2.properties");
    Path logFile = dir.resolve("log").resolve(nodeName(id) + ".log");
    Files.createDirectories(logFile.getParent());
    Files.deleteIfExists(logFile);
    Files.writeString(log4j, LOG4J);
    List<String> jvm = new ArrayList<>(JVM);
    jvm.add("-Dlog.file=" + logFile);
    jvm.add("-Dlog4j2.configurationFile=" + log4j.toUri());
    return JavaProcess.start(
        nodeName(id),
        dir,
        classpath,
        jvm,
        MAIN,
        List.of(dir.resolve("server.properties").toString()));
  }

  private Path writeProperties(int id) throws IOException {
    Path dir = dir(id);
    Files.createDirectories(dir);
    String host = ClusterLayout.HOST;
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(id));
    p.put(
        "controller.quorum.voters",
        layout.nodeIds().stream()
            .map(n -> n + "@" + host + ":" + layout.controllerPort(n))
            .collect(Collectors.joining(",")));
    p.put(
        "listeners",
        "PLAINTEXT://"
            + host
            + ":"
            + layout.brokerPort(id)
            + ",CONTROLLER://"
            + host
            + ":"
            + layout.controllerPort(id));
    p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + layout.brokerPort(id));
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dir.resolve("data").toString());
    String replicas = Integer.toString(Math.min(3, layout.nodeIds().size()));
    String minIsr = Integer.toString(Math.min(2, layout.nodeIds().size()));
    p.put("default.replication.factor", replicas);
    p.put("min.insync.replicas", minIsr);
    p.put("offsets.topic.replication.factor", replicas);
    p.put("offsets.topic.num.partitions", "8");
    p.put("transaction.state.log.replication.factor", replicas);
    p.put("transaction.state.log.min.isr", minIsr);
    p.put("transaction.state.log.num.partitions", "8");
    p.put("share.coordinator.state.topic.replication.factor", replicas);
    p.put("share.coordinator.state.topic.min.isr", minIsr);
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    StringBuilder out = new StringBuilder("# Written by clipstream cluster up\n");
    p.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
    Path file = dir.resolve("server.properties");
    Files.writeString(file, out);
    return file;
  }

  private static final String LOG4J =
      """
      rootLogger.level = INFO
      rootLogger.appenderRef.file.ref = File
      appender.file.name = File
      appender.file.type = File
      appender.file.append = true
      appender.file.fileName = ${sys:log.file}
      appender.file.layout.type = PatternLayout
      appender.file.layout.pattern = [%d] %p %m (%c)%n
      logger.state.name = state.change.logger
      logger.state.level = WARN
      """;
}
