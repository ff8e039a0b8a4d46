package dev.clipstream.jobs.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.DemoImages;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.tagging.TaggingJob;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.jobs.testing.TaggingRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * The checkpoint store unwritable for a few seconds mid-stream: checkpoints fail (tolerated), no
 * transaction commits meanwhile, and once the store is back committed output holds each input
 * exactly once.
 *
 * <p>Tests may run as root, which file permissions do not stop, so the store is broken by moving
 * the job's checkpoint directory away and putting a plain file at its path: every new {@code chk-N}
 * directory then fails to be created, whoever the user.
 */
class CheckpointStoreUnwritableITCase {

  static final int FIRST = 150;
  static final int SECOND = 150;
  static final Duration BROKEN = Duration.ofSeconds(5);

  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension static final MiniClusterExtension FLINK = Pipelines.miniCluster(METRICS);

  @TempDir Path cache;
  @TempDir Path checkpoints;

  @Test
  void keepsEachResultExactlyOnceWhenCheckpointsCannotBeWrittenForAWhile(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    DemoImages images = TaggingRuns.testImages(cache, FIRST + SECOND);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      KafkaTestClient client = TaggingRuns.brokerWithInput(kafka, images, FIRST);

      StreamExecutionEnvironment env = Pipelines.environment(300, checkpoints);
      env.configure(toleratingFailedCheckpoints());
      TaggingJob.onKafka(
          env,
          KafkaOptions.of(kafka.bootstrapServers()),
          Pipelines.TOPICS,
          "store-unwritable",
          false,
          TaggingRuns.settings());
      JobClient job = env.executeAsync("store-unwritable");
      try {
        client.readCommitted(Pipelines.TOPICS.results(), FIRST / 3, Duration.ofSeconds(60));

        Path store = checkpoints.resolve(job.getJobID().toString());
        Path away = checkpoints.resolve("away");
        long broken = System.nanoTime();
        Files.move(store, away, StandardCopyOption.ATOMIC_MOVE);
        Files.createFile(store);
        client.produce(
            Pipelines.TOPICS.input(), null, TaggingRuns.imageEvents(images, FIRST, FIRST + SECOND));
        Thread.sleep(BROKEN.toMillis());
        Files.delete(store);
        Files.move(away, store, StandardCopyOption.ATOMIC_MOVE);

        var results =
            client.readCommitted(
                Pipelines.TOPICS.results(), FIRST + SECOND, Duration.ofSeconds(180));
        long recoveredMs = (System.nanoTime() - broken) / 1_000_000;
        CheckpointStatsCounts counts =
            Pipelines.checkpointStats(cluster, job.getJobID()).getCounts();
        System.out.printf(
            "checkpoint store unwritable: %d results, %d distinct of %d inputs,"
                + " %d checkpoints failed, %d completed, %d job restarts,"
                + " %d ms from the store breaking to the last result (broken %d ms)%n",
            results.size(),
            results.stream().map(r -> new String(r.key())).distinct().count(),
            FIRST + SECOND,
            counts.getNumberOfFailedCheckpoints(),
            counts.getNumberOfCompletedCheckpoints(),
            Pipelines.restarts(METRICS, job.getJobID()),
            recoveredMs,
            BROKEN.toMillis());
        assertTrue(
            counts.getNumberOfFailedCheckpoints() > 0, "the broken store failed checkpoints");
        TaggingRuns.assertExactlyOnce(results, FIRST + SECOND);
      } finally {
        job.cancel().get();
      }
    }
  }

  /** Failed checkpoints are tolerated: the job keeps running and commits at the next success. */
  static Configuration toleratingFailedCheckpoints() {
    Configuration conf = new Configuration();
    conf.setString("execution.checkpointing.tolerable-failed-checkpoints", "1000");
    return conf;
  }
}
