package dev.clipstream.jobs.testing;

import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.tagging.TaggingTopics;
import java.io.IOException;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** Named fixtures of the pipeline tests: the cluster, the topics, the environment. */
public final class Pipelines {
  private Pipelines() {}

  /** Topics of the tagging tests: images (2 partitions), tags, dead letters. */
  public static final TaggingTopics TOPICS =
      new TaggingTopics("images", "tags", "dead", "label-sets", "model-updates");

  /** One TaskManager with two slots, as a small machine runs it. */
  public static MiniClusterExtension miniCluster() {
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());
  }

  /** The same cluster, reporting every metric to {@code reporter}. */
  public static MiniClusterExtension miniCluster(
      org.apache.flink.runtime.testutils.InMemoryReporter reporter) {
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(
                reporter.addToConfiguration(new org.apache.flink.configuration.Configuration()))
            .build());
  }

  /** The sum over subtasks of a counter (or the count of a histogram) of a finished job. */
  public static long total(
      org.apache.flink.runtime.testutils.InMemoryReporter reporter,
      org.apache.flink.api.common.JobID job,
      String name) {
    long sum = 0;
    for (var e : reporter.getMetricsByIdentifiers(job).entrySet()) {
      if (e.getKey().endsWith("." + name)) {
        if (e.getValue() instanceof org.apache.flink.metrics.Counter c) {
          sum += c.getCount();
        } else if (e.getValue() instanceof org.apache.flink.metrics.Histogram h) {
          sum += h.getCount();
        }
      }
    }
    return sum;
  }

  /** How often a job restarted (Flink's numRestarts gauge). */
  public static long restarts(
      org.apache.flink.runtime.testutils.InMemoryReporter reporter,
      org.apache.flink.api.common.JobID job) {
    for (var e : reporter.getMetricsByIdentifiers(job).entrySet()) {
      if (e.getKey().endsWith(".numRestarts")
          && e.getValue() instanceof org.apache.flink.metrics.Gauge<?> g) {
        return ((Number) g.getValue()).longValue();
      }
    }
    throw new IllegalStateException("no numRestarts metric for " + job);
  }

  /** The checkpoint statistics of a job on {@code cluster}, as the web UI shows them. */
  public static org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot checkpointStats(
      org.apache.flink.runtime.minicluster.MiniCluster cluster,
      org.apache.flink.api.common.JobID job)
      throws Exception {
    return cluster.getExecutionGraph(job).get().getCheckpointStatsSnapshot();
  }

  /** Creates the job's topics on {@code kafka}, the input with two partitions. */
  public static void createTopics(EmbeddedKafka kafka, TaggingTopics topics) throws IOException {
    kafka.createTopics(topics.definitions(2, (short) 1));
  }

  /**
   * The test cluster's environment at parallelism 2 with frequent checkpoints (each commits the
   * sinks).
   */
  public static StreamExecutionEnvironment environment(long checkpointMillis) {
    return environment(checkpointMillis, null);
  }

  /** The same, with checkpoints stored as files under {@code checkpoints} (large state). */
  public static StreamExecutionEnvironment environment(
      long checkpointMillis, java.nio.file.Path checkpoints) {
    org.apache.flink.configuration.Configuration conf =
        new org.apache.flink.configuration.Configuration();
    if (checkpoints != null) {
      conf.setString("execution.checkpointing.storage", "filesystem");
      conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    env.enableCheckpointing(checkpointMillis);
    return env;
  }
}
