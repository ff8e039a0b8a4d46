package dev.clipstream.jobs.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Flink standalone session cluster as separate JVMs: one JobManager ({@code
 * StandaloneSessionClusterEntrypoint}, web UI and REST API on) and TaskManagers ({@code
 * TaskManagerRunner}), each with its own config dir, log file and pid under {@code
 * <cluster>/flink/}. What Flink's start scripts would do, from the classpath Maven resolves: write
 * {@code config.yaml}, ask {@code BashJavaUtils} for the memory flags, start the JVM.
 */
public final class FlinkProcesses {
  static final String JOB_MANAGER = "jobmanager";
  static final String ENTRYPOINT =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  static final String TASK_MANAGER = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";

  /** Small enough for a 2-core CI runner with three brokers beside (RSS ~300-450 MB each). */
  static final String JOB_MANAGER_MEMORY = "768m";

  static final String TASK_MANAGER_MEMORY = "1280m";

  /**
   * The JDK 17 module openings of Flink's own {@code env.java.opts.all}: the JobManager needs them
   * to build a job graph from a jar ({@code ExecutionEnvironmentImpl} reflects into java.util), the
   * TaskManagers for Kryo.
   */
  static final List<String> JDK_OPENS =
      List.of(
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED");

  private final ClusterLayout layout;
  private final String classpath;

  public FlinkProcesses(ClusterLayout layout, String classpath) {
    this.layout = layout;
    this.classpath = classpath;
  }

  /** The process directory of the JobManager or of TaskManager {@code taskmanager-<n>}. */
  public Path dir(String name) {
    return layout.processDir("flink").resolve(name);
  }

  /** The Flink configuration directory of a process (what {@code --configDir} names). */
  public Path confDir(String name) {
    return dir(name).resolve("conf");
  }

  public static String taskManagerName(int index) {
    return "taskmanager-" + index;
  }

  /** Starts the JobManager; it answers REST calls a few seconds later. */
  public JavaProcess startJobManager() throws IOException {
    return start(JOB_MANAGER, ENTRYPOINT, "GET_JM_RESOURCE_PARAMS", Map.of());
  }

  /**
   * Starts TaskManager {@code index} (its resource id is its name, as the web UI and REST show it).
   */
  public JavaProcess startTaskManager(int index) throws IOException {
    String name = taskManagerName(index);
    Map<String, String> own = new LinkedHashMap<>();
    own.put("taskmanager.resource-id", name);
    own.put("io.tmp.dirs", dir(name).resolve("tmp").toString());
    return start(name, TASK_MANAGER, "GET_TM_RESOURCE_PARAMS", own);
  }

  private JavaProcess start(
      String name, String mainClass, String resourceCommand, Map<String, String> own)
      throws IOException {
    Path dir = dir(name);
    Path conf = confDir(name);
    Path log = dir.resolve("log");
    Files.createDirectories(conf);
    Files.createDirectories(log);
    Files.createDirectories(dir.resolve("tmp"));
    Map<String, String> config = configuration();
    config.putAll(own);
    Files.writeString(conf.resolve("config.yaml"), yaml(config));
    Path log4j = conf.resolve("log4j.properties");
    Files.writeString(log4j, LOG4J);
    // A restarted process starts a fresh log: an appending file appender keeps the startup lines
    // (one that truncates loses them when Pekko's class loader reopens it).
    Path logFile = log.resolve(name + ".log");
    Files.deleteIfExists(logFile);

    List<String> resources = resourceParams(resourceCommand, conf);
    List<String> jvm = new ArrayList<>(Arrays.asList(resources.get(0).strip().split("\\s+")));
    jvm.addAll(JDK_OPENS);
    jvm.add("-XX:+UseG1GC");
    jvm.add("-Dlog.file=" + logFile);
    jvm.add("-Dlog4j.configurationFile=" + log4j.toUri());
    jvm.add("-Dai.djl.offline=true");
    List<String> args = new ArrayList<>(List.of("--configDir", conf.toString()));
    if (resources.size() > 1 && !resources.get(1).isBlank()) {
      args.addAll(Arrays.asList(resources.get(1).strip().split("\\s+")));
    }
    return JavaProcess.start(name, dir, classpath, jvm, mainClass, args);
  }

  /**
   * The JVM flags and {@code -D key=value} pairs Flink's scripts derive from the memory settings (a
   * TaskManager given only a process size refuses to start).
   */
  private List<String> resourceParams(String command, Path conf) throws IOException {
    String out =
        JavaProcess.run(
            conf.getParent(),
            classpath,
            BASH_JAVA_UTILS,
            List.of(command, "--configDir", conf.toString()));
    List<String> lines = new ArrayList<>();
    String prefix = "BASH_JAVA_UTILS_EXEC_RESULT:";
    for (String line : out.split("\n")) {
      if (line.startsWith(prefix)) {
        lines.add(line.substring(prefix.length()));
      }
    }
    if (lines.isEmpty()) {
      throw new IOException("BashJavaUtils " + command + " printed no result: " + out);
    }
    return lines;
  }

  /** The cluster-wide settings every process of the cluster reads. */
  Map<String, String> configuration() {
    Map<String, String> c = new LinkedHashMap<>();
    String host = ClusterLayout.HOST;
    c.put("jobmanager.rpc.address", host);
    c.put("jobmanager.rpc.port", Integer.toString(layout.rpcPort()));
    c.put("jobmanager.bind-host", host);
    c.put("taskmanager.bind-host", host);
    c.put("taskmanager.host", host);
    c.put("taskmanager.rpc.port", "0");
    c.put("taskmanager.data.port", "0");
    c.put("blob.server.port", Integer.toString(layout.blobPort()));
    c.put("rest.port", Integer.toString(layout.restPort()));
    c.put("rest.address", host);
    c.put("rest.bind-address", host);
    // A loaded 2-core machine answers slowly (the default ask timeout is 10 s).
    c.put("pekko.ask.timeout", "60 s");
    // Metrics in the REST API at most 1 s old (RestClient.restarts).
    c.put("metrics.fetcher.update-interval", "1000");
    c.put("jobmanager.memory.process.size", JOB_MANAGER_MEMORY);
    c.put("taskmanager.memory.process.size", TASK_MANAGER_MEMORY);
    // The jobs keep little managed state (heap state backend); the model's native memory is
    // outside Flink's budget.
    c.put("taskmanager.memory.managed.fraction", "0.1");
    c.put("taskmanager.numberOfTaskSlots", Integer.toString(layout.slotsPerTaskManager()));
    // A job at parallelism 2 spreads over two TaskManagers instead of filling one first.
    c.put("taskmanager.load-balance.mode", "SLOTS");
    c.put("execution.checkpointing.dir", layout.checkpointDir().toUri().toString());
    c.put("execution.checkpointing.savepoint-dir", layout.savepointDir().toUri().toString());
    c.put("web.upload.dir", layout.processDir("flink").resolve("uploads").toString());
    c.put("io.tmp.dirs", dir(JOB_MANAGER).resolve("tmp").toString());
    // While a lost TaskManager's slots are missing, every attempt fails at once: attempts × delay
    // must outlast the wait for a replacement.
    c.put("restart-strategy.type", "fixed-delay");
    c.put("restart-strategy.fixed-delay.attempts", "1000");
    c.put("restart-strategy.fixed-delay.delay", "2 s");
    c.put("jobmanager.execution.failover-strategy", "region");
    // DJL (and its native PyTorch) from the TaskManager's classpath, once per JVM: see the flink
    // profile of deploy/standalone/pom.xml.
    c.put("classloader.parent-first-patterns.additional", "ai.djl.");
    return c;
  }

  private static String yaml(Map<String, String> config) {
    StringBuilder out = new StringBuilder("# Written by clipstream cluster up\n");
    config.forEach((k, v) -> out.append(k).append(": ").append(quote(v)).append('\n'));
    return out.toString();
  }

  private static String quote(String value) {
    return value.matches("[A-Za-z0-9._/:-]+") ? value : "'" + value.replace("'", "''") + "'";
  }

  private static final String LOG4J =
      """
      rootLogger.level = INFO
      rootLogger.appenderRef.file.ref = MainAppender
      appender.main.name = MainAppender
      appender.main.type = File
      appender.main.append = true
      appender.main.fileName = ${sys:log.file}
      appender.main.layout.type = PatternLayout
      appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
      logger.kafka.name = org.apache.kafka
      logger.kafka.level = WARN
      logger.pekko.name = org.apache.pekko
      logger.pekko.level = INFO
      """;
}
