package dev.clipstream.jobs.runtime;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) inside this JVM, on free
 * loopback ports and a temporary log directory that is deleted on close. Tests of broker outages
 * can {@link #stop()} it and {@link #restart()} it on the same ports and log directory.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Kafka 4 formats new clusters with transaction protocol version 2; after a Flink restart the
   * connector's committer then logs false "producer fenced ... data loss" errors for transactions
   * that did commit. Version 1 keeps the log honest.
   */
  private static final short TRANSACTION_VERSION = 1;

  /**
   * An extra SSL listener: the broker's PKCS12 key store, the PKCS12 trust store of the CAs whose
   * client certificates it accepts, their password, and whether a client must present one.
   */
  public record Tls(
      Path keyStore, Path trustStore, String password, boolean requireClientCertificates) {}

  private final Properties config;
  private final Path logDir;
  private KafkaRaftServer server;
  private final String bootstrapServers;
  private final String sslBootstrapServers;

  private EmbeddedKafka(
      Properties config,
      KafkaRaftServer server,
      Path logDir,
      String bootstrapServers,
      String sslBootstrapServers) {
    this.config = config;
    this.server = server;
    this.logDir = logDir;
    this.bootstrapServers = bootstrapServers;
    this.sslBootstrapServers = sslBootstrapServers;
  }

  /** Starts a broker with default settings. */
  public static EmbeddedKafka start() throws IOException {
    return start(Map.of());
  }

  /** Starts a broker; {@code overrides} are broker configuration keys applied last. */
  public static EmbeddedKafka start(Map<String, String> overrides) throws IOException {
    return start(overrides, null);
  }

  /**
   * Starts a broker with an SSL listener besides the PLAINTEXT one (which the broker itself, and
   * {@link #admin()}, keep using); clients reach it at {@link #sslBootstrapServers()}.
   */
  public static EmbeddedKafka startWithTls(Tls tls, Map<String, String> overrides)
      throws IOException {
    return start(overrides, tls);
  }

  private static EmbeddedKafka start(Map<String, String> overrides, Tls tls) throws IOException {
    Path logDir = Files.createTempDirectory("clipstream-kafka-");
    int brokerPort = freePort();
    int controllerPort = freePort();
    Properties props = brokerConfig(logDir, brokerPort, controllerPort);
    String ssl = null;
    if (tls != null) {
      int sslPort = freePort();
      ssl = "127.0.0.1:" + sslPort;
      addSslListener(props, ssl, tls);
    }
    props.putAll(overrides);
    format(logDir);
    KafkaRaftServer server = newServer(props);
    EmbeddedKafka kafka = new EmbeddedKafka(props, server, logDir, "127.0.0.1:" + brokerPort, ssl);
    kafka.awaitReady();
    LOG.info("Kafka broker {} ready (log dir {})", kafka.bootstrapServers, logDir);
    return kafka;
  }

  private static KafkaRaftServer newServer(Properties props) {
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    server.startup();
    return server;
  }

  /**
   * Shuts the broker down as an outage would, keeping its log directory and ports for {@link
   * #restart()}; clients see it unreachable until then.
   */
  public synchronized void stop() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
      LOG.info("Kafka broker {} stopped", bootstrapServers);
    }
  }

  /**
   * Starts the broker again (stopping it first if it runs) over the same formatted log directory
   * and on the same ports, so topics, committed data, transactions and consumer offsets survive.
   */
  public synchronized void restart() throws IOException {
    stop();
    server = newServer(config);
    awaitReady();
    LOG.info("Kafka broker {} restarted (log dir {})", bootstrapServers, logDir);
  }

  private static Properties brokerConfig(Path logDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    return p;
  }

  private static void addSslListener(Properties p, String address, Tls tls) {
    p.put("listeners", p.getProperty("listeners") + ",SSL://" + address);
    p.put("advertised.listeners", p.getProperty("advertised.listeners") + ",SSL://" + address);
    p.put(
        "listener.security.protocol.map",
        p.getProperty("listener.security.protocol.map") + ",SSL:SSL");
    String prefix = "listener.name.ssl.";
    p.put(prefix + "ssl.keystore.type", "PKCS12");
    p.put(prefix + "ssl.keystore.location", tls.keyStore().toString());
    p.put(prefix + "ssl.keystore.password", tls.password());
    p.put(prefix + "ssl.key.password", tls.password());
    p.put(prefix + "ssl.truststore.type", "PKCS12");
    p.put(prefix + "ssl.truststore.location", tls.trustStore().toString());
    p.put(prefix + "ssl.truststore.password", tls.password());
    p.put(prefix + "ssl.client.auth", tls.requireClientCertificates() ? "required" : "none");
  }

  private static void format(Path logDir) throws IOException {
    try {
      new Formatter()
          .setPrintStream(new PrintStream(java.io.OutputStream.nullOutputStream()))
          .setClusterId(Uuid.randomUuid().toString())
          .setNodeId(1)
          .setControllerListenerName("CONTROLLER")
          .setMetadataLogDirectory(logDir.toString())
          .addDirectory(logDir.toString())
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setFeatureLevel("transaction.version", TRANSACTION_VERSION)
          .run();
    } catch (Exception e) {
      throw new IOException(
          "cannot format the Kafka log directory " + logDir + ": " + e.getMessage(), e);
    }
  }

  private void awaitReady() throws IOException {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    try (Admin admin = admin()) {
      while (System.nanoTime() < deadline) {
        try {
          if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == 1) {
            return;
          }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
          // not up yet
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close();
    throw new IOException("the embedded Kafka broker did not come up within " + STARTUP_TIMEOUT);
  }

  /** {@code host:port} of the PLAINTEXT listener. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** {@code host:port} of the SSL listener; only for a broker started with TLS. */
  public String sslBootstrapServers() {
    if (sslBootstrapServers == null) {
      throw new IllegalStateException("this broker was started without an SSL listener");
    }
    return sslBootstrapServers;
  }

  /** An admin client for this broker; the caller closes it. */
  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /** Creates topics, ignoring those that exist. */
  public void createTopics(Collection<NewTopic> topics) throws IOException {
    try (Admin admin = admin()) {
      for (NewTopic topic : topics) {
        try {
          admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IOException(
                "cannot create topic " + topic.name() + ": " + e.getCause().getMessage(), e);
          }
        }
      }
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new IOException("cannot create topics: " + e, e);
    }
  }

  /** Stops the broker and deletes its log directory. */
  @Override
  public void close() {
    try {
      stop();
    } finally {
      deleteRecursively(logDir);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", dir, e.getMessage());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
