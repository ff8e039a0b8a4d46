package dev.clipstream.jobs.reliability;

import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.DemoImages;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.tagging.TaggingJob;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.jobs.testing.TaggingRuns;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CheckpointStatsCounts;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stopped mid-stream and started again on the same ports and log directory: the job
 * rides out the outage (waiting, or failing and restarting from its last checkpoint) and committed
 * output holds each input exactly once.
 */
class BrokerRestartITCase {

  static final int FIRST = 150;
  static final int SECOND = 150;

  /** Long enough for producers, consumers and the coordinator to notice the broker is gone. */
  static final Duration OUTAGE = Duration.ofSeconds(8);

  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension static final MiniClusterExtension FLINK = Pipelines.miniCluster(METRICS);

  @TempDir Path cache;

  @Test
  void keepsEachResultExactlyOnceWhenTheBrokerRestarts(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    DemoImages images = TaggingRuns.testImages(cache, FIRST + SECOND);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      KafkaTestClient client = TaggingRuns.brokerWithInput(kafka, images, FIRST);

      StreamExecutionEnvironment env = Pipelines.environment(300);
      env.configure(restartsThroughTheOutage());
      TaggingJob.onKafka(
          env,
          KafkaOptions.of(kafka.bootstrapServers()),
          Pipelines.TOPICS,
          "broker-restart",
          false,
          TaggingRuns.settings());
      JobClient job = env.executeAsync("broker-restart");
      try {
        client.readCommitted(Pipelines.TOPICS.results(), FIRST / 3, Duration.ofSeconds(60));

        long stopped = System.nanoTime();
        kafka.stop();
        Thread.sleep(OUTAGE.toMillis());
        kafka.restart();
        client.produce(
            Pipelines.TOPICS.input(), null, TaggingRuns.imageEvents(images, FIRST, FIRST + SECOND));

        var results =
            client.readCommitted(
                Pipelines.TOPICS.results(), FIRST + SECOND, Duration.ofSeconds(180));
        long recoveredMs = (System.nanoTime() - stopped) / 1_000_000;
        CheckpointStatsCounts counts =
            Pipelines.checkpointStats(cluster, job.getJobID()).getCounts();
        System.out.printf(
            "broker restart: %d results, %d distinct of %d inputs, %d job restarts,"
                + " %d checkpoints failed, %d completed,"
                + " %d ms from the broker stopping to the last result (outage %d ms)%n",
            results.size(),
            results.stream().map(r -> new String(r.key())).distinct().count(),
            FIRST + SECOND,
            Pipelines.restarts(METRICS, job.getJobID()),
            counts.getNumberOfFailedCheckpoints(),
            counts.getNumberOfCompletedCheckpoints(),
            recoveredMs,
            OUTAGE.toMillis());
        TaggingRuns.assertExactlyOnce(results, FIRST + SECOND);
      } finally {
        job.cancel().get();
      }
    }
  }

  /** Retries often enough to outlast the outage; a failure while the broker is away is expected. */
  static Configuration restartsThroughTheOutage() {
    Configuration conf = new Configuration();
    conf.setString("restart-strategy.type", "fixed-delay");
    conf.setString("restart-strategy.fixed-delay.attempts", "60");
    conf.setString("restart-strategy.fixed-delay.delay", "1 s");
    return conf;
  }
}
