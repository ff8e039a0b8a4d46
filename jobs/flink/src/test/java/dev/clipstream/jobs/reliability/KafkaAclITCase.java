package dev.clipstream.jobs.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.tagging.TaggingTopics;
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
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka authorization of the control plane: the broker runs KRaft's {@code StandardAuthorizer} with
 * principals from mTLS client certificates. The tagging job's principal reads the input and control
 * topics and writes results and dead letters, and is refused on model-updates; the trainer's
 * principal may publish model updates; a principal with a valid certificate but no ACLs is refused
 * on every topic. The job gets its certificate as ordinary client properties.
 */
class KafkaAclITCase {

  static final int EVENTS = 6;
  static final String TAGGING = "clipstream-tagging";
  static final String TRAINER = "clipstream-trainer";
  static final String GROUP = "acl-tagging";

  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension static final MiniClusterExtension FLINK = Pipelines.miniCluster(METRICS);

  @TempDir Path dir;

  @Test
  void eachPrincipalReachesOnlyTheTopicsItsRoleNeeds() throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    EmbeddedKafka.Tls tls =
        new EmbeddedKafka.Tls(certs.brokerKeyStore(), certs.caTrustStore(), certs.password(), true);
    Map<String, String> authorizer =
        Map.of(
            "authorizer.class.name",
            "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            // The broker, its controller and the test's admin use the PLAINTEXT listener.
            "super.users",
            "User:ANONYMOUS",
            "allow.everyone.if.no.acl.found",
            "false");
    TaggingTopics topics = Pipelines.TOPICS;
    try (EmbeddedKafka kafka = EmbeddedKafka.startWithTls(tls, authorizer)) {
      Pipelines.createTopics(kafka, topics);
      Map<String, String> tagging = certs.clientPropertiesFor(TAGGING);
      Map<String, String> trainer = certs.clientPropertiesFor(TRAINER);
      Map<String, String> stranger = certs.clientPropertiesFor("someone-else");
      grant(kafka, taggingAcls(topics), trainerAcls(topics));

      List<byte[]> values = new ArrayList<>();
      for (int i = 0; i < EVENTS; i++) {
        values.add(
            PoisonInputs.event("acl-" + i, PoisonInputs.png(PoisonInputs.picture(32, 32)), null));
      }
      KafkaTestClient admin = new KafkaTestClient(kafka.bootstrapServers());
      admin.produce(topics.input(), null, values);

      String ssl = kafka.sslBootstrapServers();
      JobID job =
          TaggingRuns.runBounded(
              new KafkaOptions(ssl, tagging, KafkaOptions.DEFAULT_TRANSACTION_TIMEOUT),
              topics,
              GROUP);
      assertEquals(
          EVENTS, admin.readCommitted(topics.results(), EVENTS, Duration.ofSeconds(60)).size());
      assertEquals(0, Pipelines.restarts(METRICS, job));

      assertRefusedWriting(ssl, tagging, topics.modelUpdates());
      produce(ssl, trainer, topics.modelUpdates());
      for (String topic :
          List.of(
              topics.input(),
              topics.results(),
              topics.deadLetters(),
              topics.labelSets(),
              topics.modelUpdates())) {
        assertRefusedWriting(ssl, stranger, topic);
        assertRefusedReading(ssl, stranger, topic);
      }
      System.out.printf(
          "acl: %d events tagged as User:CN=%s; model-updates refused to it and accepted from"
              + " User:CN=%s; User:CN=someone-else refused reading and writing all 5 topics%n",
          EVENTS, TAGGING, TRAINER);
    }
  }

  static List<AclBinding> taggingAcls(TaggingTopics topics) {
    String user = "User:CN=" + TAGGING;
    List<AclBinding> acls = new ArrayList<>();
    for (String t : List.of(topics.input(), topics.labelSets(), topics.modelUpdates())) {
      acls.add(allow(user, ResourceType.TOPIC, t, PatternType.LITERAL, AclOperation.READ));
    }
    for (String t : List.of(topics.results(), topics.deadLetters())) {
      acls.add(allow(user, ResourceType.TOPIC, t, PatternType.LITERAL, AclOperation.WRITE));
      // The exactly-once sinks' POOLING transaction naming asks the brokers for the producers
      // with open transactions on the topics they write (DescribeProducers), which needs READ.
      acls.add(allow(user, ResourceType.TOPIC, t, PatternType.LITERAL, AclOperation.READ));
    }
    // Offsets commit under the job's group ids (group, group-control).
    acls.add(allow(user, ResourceType.GROUP, GROUP, PatternType.PREFIXED, AclOperation.READ));
    // The exactly-once sinks' transactions. Their ids are not the boundary that matters here
    // (what a transaction may write is still decided by the topic ACLs), so any id.
    acls.add(
        allow(user, ResourceType.TRANSACTIONAL_ID, "*", PatternType.LITERAL, AclOperation.WRITE));
    return acls;
  }

  static List<AclBinding> trainerAcls(TaggingTopics topics) {
    String user = "User:CN=" + TRAINER;
    return List.of(
        allow(user, ResourceType.TOPIC, topics.input(), PatternType.LITERAL, AclOperation.READ),
        allow(
            user,
            ResourceType.TOPIC,
            topics.modelUpdates(),
            PatternType.LITERAL,
            AclOperation.WRITE),
        allow(
            user,
            ResourceType.GROUP,
            "clipstream-training",
            PatternType.PREFIXED,
            AclOperation.READ),
        allow(user, ResourceType.TRANSACTIONAL_ID, "*", PatternType.LITERAL, AclOperation.WRITE));
  }

  static AclBinding allow(
      String principal, ResourceType type, String name, PatternType pattern, AclOperation op) {
    return new AclBinding(
        new ResourcePattern(type, name, pattern),
        new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
  }

  @SafeVarargs
  static void grant(EmbeddedKafka kafka, List<AclBinding>... groups) throws Exception {
    List<AclBinding> all = new ArrayList<>();
    for (List<AclBinding> g : groups) {
      all.addAll(g);
    }
    try (Admin admin = kafka.admin()) {
      admin.createAcls(all).all().get(30, TimeUnit.SECONDS);
      // The authorizer learns ACLs from the metadata log: wait until it lists them all.
      while (admin.describeAcls(AclBindingFilter.ANY).values().get().size() < all.size()) {
        Thread.sleep(100);
      }
    }
  }

  static Map<String, Object> client(String bootstrap, Map<String, String> tls) {
    Map<String, Object> config = new HashMap<>(tls);
    config.put("bootstrap.servers", bootstrap);
    config.put("key.serializer", ByteArraySerializer.class);
    config.put("value.serializer", ByteArraySerializer.class);
    config.put("key.deserializer", ByteArrayDeserializer.class);
    config.put("value.deserializer", ByteArrayDeserializer.class);
    config.put("max.block.ms", "20000");
    config.put("delivery.timeout.ms", "20000");
    config.put("request.timeout.ms", "10000");
    config.put("default.api.timeout.ms", "20000");
    return config;
  }

  static void produce(String bootstrap, Map<String, String> tls, String topic) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(client(bootstrap, tls))) {
      // Keyed: the control topics are compacted.
      producer
          .send(new ProducerRecord<>(topic, new byte[] {'k'}, new byte[] {1}))
          .get(30, TimeUnit.SECONDS);
    }
  }

  static void assertRefusedWriting(String bootstrap, Map<String, String> tls, String topic) {
    ExecutionException refused =
        assertThrows(ExecutionException.class, () -> produce(bootstrap, tls, topic), topic);
    assertInstanceOf(TopicAuthorizationException.class, refused.getCause(), topic);
  }

  static void assertRefusedReading(String bootstrap, Map<String, String> tls, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(client(bootstrap, tls))) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
      assertThrows(
          TopicAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)), topic);
    }
  }
}
