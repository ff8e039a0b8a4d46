package dev.clipstream.jobs.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.DemoImages;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.tagging.TaggingJob;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.jobs.testing.TaggingRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole cluster stopped mid-stream and a new one started from the last retained checkpoint:
 * committed output over both runs holds each input exactly once.
 */
class ClusterRestartITCase {

  static final int FIRST = 150;
  static final int SECOND = 150;
  static final String GROUP = "cluster-restart";

  @TempDir Path cache;
  @TempDir Path checkpoints;

  @Test
  void keepsEachResultExactlyOnceAcrossAClusterRestartFromARetainedCheckpoint() throws Exception {
    DemoImages images = TaggingRuns.testImages(cache, FIRST + SECOND);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      KafkaTestClient client = TaggingRuns.brokerWithInput(kafka, images, FIRST);

      long stopped;
      try (MiniCluster first = startCluster()) {
        JobClient job = submit(first, kafka, null);
        client.readCommitted(Pipelines.TOPICS.results(), FIRST / 3, Duration.ofSeconds(60));
        job.cancel().get();
        first.requestJobResult(job.getJobID()).get();
        stopped = System.nanoTime();
      }

      Path retained = latestRetainedCheckpoint(checkpoints);
      long retainedId =
          Long.parseLong(retained.getFileName().toString().substring("chk-".length()));
      try (MiniCluster second = startCluster()) {
        JobClient job = submit(second, kafka, retained);
        try {
          client.produce(
              Pipelines.TOPICS.input(),
              null,
              TaggingRuns.imageEvents(images, FIRST, FIRST + SECOND));
          var results =
              client.readCommitted(
                  Pipelines.TOPICS.results(), FIRST + SECOND, Duration.ofSeconds(180));
          long recoveredMs = (System.nanoTime() - stopped) / 1_000_000;
          RestoredCheckpointStats restored =
              Pipelines.checkpointStats(second, job.getJobID()).getLatestRestoredCheckpoint();
          System.out.printf(
              "cluster restart: %d results, %d distinct of %d inputs, restored from checkpoint %d,"
                  + " %d ms from the first cluster stopping to the last result%n",
              results.size(),
              results.stream().map(r -> new String(r.key())).distinct().count(),
              FIRST + SECOND,
              retainedId,
              recoveredMs);
          assertNotNull(restored, "the second job started from the retained checkpoint");
          assertEquals(retainedId, restored.getCheckpointId());
          TaggingRuns.assertExactlyOnce(results, FIRST + SECOND);
        } finally {
          job.cancel().get();
        }
      }
    }
  }

  /** One TaskManager with two slots, as {@link Pipelines#miniCluster()}, started here. */
  static MiniCluster startCluster() throws Exception {
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build());
    cluster.start();
    return cluster;
  }

  /**
   * Runs the tagging job (unbounded) on {@code cluster}, checkpointing to files that survive a
   * cancellation; from {@code restoreFrom} when it is not null.
   */
  JobClient submit(MiniCluster cluster, EmbeddedKafka kafka, Path restoreFrom) throws Exception {
    Configuration conf = new Configuration();
    conf.setString("execution.checkpointing.storage", "filesystem");
    conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
    conf.setString(
        "execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    if (restoreFrom != null) {
      conf.setString("execution.state-recovery.path", restoreFrom.toUri().toString());
    }
    StreamExecutionEnvironment env =
        new TestStreamEnvironment(cluster, conf, 2, List.of(), List.of());
    env.enableCheckpointing(300);
    TaggingJob.onKafka(
        env,
        KafkaOptions.of(kafka.bootstrapServers()),
        Pipelines.TOPICS,
        GROUP,
        false,
        TaggingRuns.settings());
    return env.executeAsync(GROUP);
  }

  /** The highest-numbered {@code chk-N} directory under {@code root} that has its metadata. */
  static Path latestRetainedCheckpoint(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths
          .filter(p -> p.getFileName().toString().matches("chk-\\d+"))
          .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
          .max(
              Comparator.comparingLong(
                  p -> Long.parseLong(p.getFileName().toString().substring(4))))
          .orElseThrow(() -> new AssertionError("no retained checkpoint under " + root));
    }
  }
}
