package dev.clipstream.jobs.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.jobs.testing.PoisonInputs;
import dev.clipstream.jobs.testing.TaggingRuns;
import dev.clipstream.jobs.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tagging job against a broker whose only client listener is TLS with client certificates
 * required: with the user's SSL settings passed as client properties it reads and writes exactly
 * once; a client without a certificate is refused in the handshake.
 */
class TlsKafkaITCase {

  static final int EVENTS = 10;

  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension static final MiniClusterExtension FLINK = Pipelines.miniCluster(METRICS);

  @TempDir Path dir;

  @Test
  void theTaggingJobWorksWithAClientCertificateAndAClientWithoutOneIsRefused() throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    EmbeddedKafka.Tls tls =
        new EmbeddedKafka.Tls(certs.brokerKeyStore(), certs.caTrustStore(), certs.password(), true);
    try (EmbeddedKafka kafka = EmbeddedKafka.startWithTls(tls, Map.of())) {
      Pipelines.createTopics(kafka, Pipelines.TOPICS);
      String ssl = kafka.sslBootstrapServers();
      KafkaTestClient client = new KafkaTestClient(ssl, certs.clientProperties());
      List<byte[]> values = new ArrayList<>();
      for (int i = 0; i < EVENTS; i++) {
        values.add(
            PoisonInputs.event("tls-" + i, PoisonInputs.png(PoisonInputs.picture(32, 32)), null));
      }
      client.produce(Pipelines.TOPICS.input(), null, values);

      JobID job =
          TaggingRuns.runBounded(
              new KafkaOptions(
                  ssl, certs.clientProperties(), KafkaOptions.DEFAULT_TRANSACTION_TIMEOUT),
              Pipelines.TOPICS,
              "tls-tagging");

      assertEquals(EVENTS, client.readCommitted("tags", EVENTS, Duration.ofSeconds(60)).size());
      assertEquals(0, client.readCommitted("dead", 0, Duration.ofSeconds(1)).size());
      assertEquals(0, Pipelines.restarts(METRICS, job));

      Map<String, Object> noCertificate = new HashMap<>(certs.clientPropertiesWithoutCertificate());
      noCertificate.put("bootstrap.servers", ssl);
      noCertificate.put("default.api.timeout.ms", "20000");
      noCertificate.put("request.timeout.ms", "10000");
      long started = System.nanoTime();
      try (Admin admin = Admin.create(noCertificate)) {
        ExecutionException refused =
            assertThrows(
                ExecutionException.class,
                () -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS));
        assertInstanceOf(SslAuthenticationException.class, refused.getCause(), refused.toString());
      }
      long seconds = (System.nanoTime() - started) / 1_000_000_000;
      assertTrue(seconds < 30, "refused after " + seconds + " s");
      System.out.printf(
          "tls: %d events tagged over TLS with a client certificate; without one refused after %d s%n",
          EVENTS, seconds);
    }
  }
}
