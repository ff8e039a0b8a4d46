package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clipstream.jobs.deploy.TaggingJobSetup;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.DemoImages;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.jobs.testing.TaggingRuns;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two deployments of the tagging job on one Kafka cluster, on default settings but for their
 * deployment names (and topics): their exactly-once sinks' transactional ids differ, so neither
 * fences the other's producers, and each writes every input once without a restart. A transaction
 * timeout above the brokers' maximum is refused before the job starts.
 */
class TaggingDeploymentsITCase {

  static final int EVENTS = 120;
  static final List<String> DEPLOYMENTS = List.of("team-a", "team-b");

  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension static final MiniClusterExtension FLINK = Pipelines.miniCluster(METRICS);

  @TempDir Path cache;

  @Test
  void twoDeploymentsOnTheDefaultsDoNotFenceEachOtherAndEachStaysExactlyOnce() throws Exception {
    DemoImages images =
        new DemoImages(
            FashionMnist.load(FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), cache))
                .head(EVENTS));
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
      List<TaggingJobSetup> setups = new ArrayList<>();
      List<JobClient> jobs = new ArrayList<>();
      try {
        for (String deployment : DEPLOYMENTS) {
          TaggingJobSetup setup = setup(kafka, deployment, null);
          setups.add(setup);
          kafka.createTopics(setup.topics().definitions(2, (short) 1));
          StreamExecutionEnvironment env = Pipelines.environment(300);
          env.setParallelism(1); // one slot each: both jobs run at once on the two slots
          setup.wire(env, false);
          jobs.add(env.executeAsync(deployment));
        }
        assertEquals("team-a-tagging", setups.get(0).groupId(), "the deployment's default group");
        assertNotEquals(
            setups.get(0).kafka().transactionalIdPrefix("tagging-results"),
            setups.get(1).kafka().transactionalIdPrefix("tagging-results"));
        // Both produce while both run: their transactions overlap in time.
        for (int half = 0; half < 2; half++) {
          for (TaggingJobSetup setup : setups) {
            client.produce(
                setup.topics().input(),
                null,
                TaggingRuns.imageEvents(images, half * EVENTS / 2, (half + 1) * EVENTS / 2));
          }
        }
        for (int i = 0; i < setups.size(); i++) {
          List<ConsumerRecord<byte[], byte[]>> tags =
              client.readCommitted(
                  setups.get(i).topics().results(), EVENTS, Duration.ofSeconds(120));
          System.out.printf(
              "deployment %s: %d results of %d inputs, %d distinct%n",
              DEPLOYMENTS.get(i),
              tags.size(),
              EVENTS,
              tags.stream().map(r -> new String(r.key())).distinct().count());
          TaggingRuns.assertExactlyOnce(tags, EVENTS);
        }
        for (JobClient job : jobs) {
          assertEquals(0, Pipelines.restarts(METRICS, job.getJobID()), "no producer was fenced");
        }
      } finally {
        for (JobClient job : jobs) {
          job.cancel().get();
        }
      }
    }
  }

  @Test
  void refusesATransactionTimeoutAboveTheBrokersMaximumInOneLine() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      TaggingJobSetup setup = setup(kafka, "team-a", Duration.ofMinutes(20));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> setup.wire(StreamExecutionEnvironment.getExecutionEnvironment(), false));
      // Kafka's default transaction.max.timeout.ms is 15 minutes.
      assertEquals(
          "kafka.transaction-timeout 1200000 ms is above the brokers'"
              + " transaction.max.timeout.ms (900000 ms): lower it or raise the brokers' maximum",
          e.getMessage());
    }
  }

  /** A deployment on the defaults but for its name, its topics (named after it) and a timeout. */
  static TaggingJobSetup setup(EmbeddedKafka kafka, String deployment, Duration timeout) {
    Configuration config = new Configuration();
    config.set(TaggingOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    config.set(KafkaOptions.DEPLOYMENT, deployment);
    config.set(TaggingOptions.INPUT_TOPIC, deployment + "-images");
    config.set(TaggingOptions.RESULTS_TOPIC, deployment + "-tags");
    config.set(TaggingOptions.DEAD_LETTER_TOPIC, deployment + "-dead");
    config.set(TaggingOptions.LABEL_SETS_TOPIC, deployment + "-label-sets");
    config.set(TaggingOptions.MODEL_UPDATES_TOPIC, deployment + "-model-updates");
    if (timeout != null) {
      config.set(KafkaOptions.TRANSACTION_TIMEOUT, timeout);
    }
    return TaggingJobSetup.from(config);
  }
}
