package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.jobs.testing.TaggingRuns;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.zeroshot.LabelSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-stage latency histograms and the CPU accounting of the tagging job, on a real broker and
 * MiniCluster with the default model, batching by a latency target.
 */
class TaggingJobStageMetricsITCase {

  static final int IMAGES = 60;
  static final int MAX_SIZE = 16;
  static final List<String> STAGES =
      List.of("decodeTimeUs", "queueWaitUs", "forwardTimeUs", "inJobTimeUs");

  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension static final MiniClusterExtension FLINK = Pipelines.miniCluster(METRICS);

  @TempDir Path cache;

  @Test
  void everyTaggedEventIsInEachStageHistogramAndTheCpuOfTheForwardIsPartOfTheTaskThreads()
      throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      KafkaTestClient client =
          TaggingRuns.brokerWithInput(kafka, TaggingRuns.testImages(cache, IMAGES), IMAGES);
      StreamExecutionEnvironment env = Pipelines.environment(500);
      TaggingJob.onKafka(
          env,
          KafkaOptions.of(kafka.bootstrapServers()),
          Pipelines.TOPICS,
          "stage-metrics",
          true,
          new TaggingSettings(
              "",
              28,
              new BatchingOptions(MAX_SIZE, Duration.ofMillis(50))
                  .withLatencyTarget(Duration.ofMillis(200)),
              LabelSet.of("fashion-mnist", 1, FashionMnist.CLASSES),
              3,
              ""));
      JobID job = env.execute("stage-metrics").getJobID();
      List<ConsumerRecord<byte[], byte[]>> tags =
          client.readCommitted(Pipelines.TOPICS.results(), IMAGES, Duration.ofSeconds(60));
      TaggingRuns.assertExactlyOnce(tags, IMAGES);

      // The four histograms of each measure-stages subtask hold the same events, all of them.
      Map<String, Map<String, Histogram>> bySubtask = stageHistograms(job);
      assertFalse(bySubtask.isEmpty(), "measure-stages registered its histograms");
      long counted = 0;
      for (Map.Entry<String, Map<String, Histogram>> subtask : bySubtask.entrySet()) {
        Map<String, Histogram> h = subtask.getValue();
        assertEquals(STAGES.size(), h.size(), subtask.getKey() + " has every stage: " + h.keySet());
        long n = h.get("inJobTimeUs").getCount();
        for (String stage : STAGES) {
          assertEquals(n, h.get(stage).getCount(), stage + " counts every event of the subtask");
          assertTrue(h.get(stage).getStatistics().getMin() >= 0, stage + " is never negative");
        }
        counted += n;
        if (n == 0) {
          continue;
        }
        // Per event, in-job total = decode + network hop + queue wait + forward + emission, so
        // over the same events the mean total is at least the sum of the stages' means.
        double stages = 0;
        for (String stage : STAGES.subList(0, 3)) {
          stages += h.get(stage).getStatistics().getMean();
        }
        HistogramStatistics total = h.get("inJobTimeUs").getStatistics();
        assertTrue(
            total.getMean() + 1e-6 >= stages,
            "mean in-job total " + total.getMean() + " µs ≥ the stages' " + stages + " µs");
        assertTrue(
            total.getMax() >= h.get("forwardTimeUs").getStatistics().getMax(),
            "the slowest total is at least the slowest forward");
        assertTrue(h.get("forwardTimeUs").getStatistics().getMax() > 0, "a forward takes time");
      }
      assertEquals(IMAGES, counted, "each tagged event measured once");

      // No batch beyond batch.max-size, whatever the latency target allows.
      assertTrue(Pipelines.total(METRICS, job, "batchSize") > 0, "batches were recorded");
      for (Map.Entry<String, Metric> e : METRICS.getMetricsByIdentifiers(job).entrySet()) {
        if (e.getKey().endsWith(".batchSize") && e.getValue() instanceof Histogram h) {
          assertTrue(h.getStatistics().getMax() <= MAX_SIZE, "batch of " + h.getStatistics());
        }
      }

      // CPU: the forward runs on the encoder's task thread, so it is part of that thread's CPU.
      long forward = 0;
      long encoderThread = 0;
      long decodeThread = 0;
      long encoderEvents = 0;
      long decodeEvents = 0;
      for (Map.Entry<String, Metric> e : METRICS.getMetricsByIdentifiers(job).entrySet()) {
        if (e.getValue() instanceof Counter c) {
          if (e.getKey().endsWith(".taskCpuEvents")) {
            if (e.getKey().contains("batch-encode-label")) {
              encoderEvents += c.getCount();
            } else if (e.getKey().contains("decode-image")) {
              decodeEvents += c.getCount();
            }
          } else if (e.getKey().endsWith(".forwardCpuNanos")) {
            forward += c.getCount();
          } else if (e.getKey().endsWith(".taskCpuNanos")) {
            if (e.getKey().contains("batch-encode-label")) {
              encoderThread += c.getCount();
            } else if (e.getKey().contains("decode-image")) {
              decodeThread += c.getCount();
            }
          }
        }
      }
      assertTrue(forward > 0, "the forward's CPU time is counted");
      assertTrue(encoderThread >= forward, encoderThread + " ns ≥ forward's " + forward + " ns");
      assertTrue(decodeThread > 0, "the decoding thread's CPU time is counted");
      assertEquals(
          IMAGES, encoderEvents, "the encoder's CPU is counted over every event it encoded");
      assertEquals(
          IMAGES, decodeEvents, "the decoder's CPU is counted over every event it decoded");
    }
  }

  /** The stage histograms of the job, by the subtask (metric group) that reports them. */
  static Map<String, Map<String, Histogram>> stageHistograms(JobID job) {
    Map<String, Map<String, Histogram>> out = new TreeMap<>();
    for (Map.Entry<String, Metric> e : METRICS.getMetricsByIdentifiers(job).entrySet()) {
      String id = e.getKey();
      int dot = id.lastIndexOf('.');
      String name = id.substring(dot + 1);
      if (STAGES.contains(name) && e.getValue() instanceof Histogram h) {
        out.computeIfAbsent(id.substring(0, dot), k -> new TreeMap<>()).put(name, h);
      }
    }
    return out;
  }
}
