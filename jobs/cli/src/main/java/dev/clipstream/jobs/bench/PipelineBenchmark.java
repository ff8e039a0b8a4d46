package dev.clipstream.jobs.bench;

import dev.clipstream.jobs.io.Delivery;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.io.OutputOptions;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.runtime.LatencyStats;
import dev.clipstream.jobs.runtime.LocalClients;
import dev.clipstream.jobs.runtime.Pacing;
import dev.clipstream.jobs.tagging.BatchingOptions;
import dev.clipstream.jobs.tagging.TaggingJob;
import dev.clipstream.jobs.tagging.TaggingSettings;
import dev.clipstream.jobs.tagging.TaggingTopics;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The tagging job on the embedded runtime (in-process broker, a MiniCluster at parallelism 1, the
 * exactly-once sinks unless a paced run asks for at-least-once, checkpoints every second), fed
 * uncaptioned images so that its work equals the bare image encoder's: a sustained rate with a
 * backlog the job cannot keep up with, and latency at a paced fraction of that rate.
 */
final class PipelineBenchmark {

  /** Checkpoints commit the results: every second, as in the demo, unless a run sets another. */
  static final long CHECKPOINT_MILLIS = 1000;

  /** Longest a run may take to return its results. */
  static final Duration READ_TIMEOUT = Duration.ofMinutes(5);

  private final EmbeddedKafka kafka;
  private final List<byte[]> images;
  private final String weights;
  private final int imageSize;
  private final LabelSet labels;
  private long checkpointMillis = CHECKPOINT_MILLIS;
  private int runs;

  PipelineBenchmark(
      EmbeddedKafka kafka, List<byte[]> images, String weights, int imageSize, LabelSet labels) {
    this.kafka = kafka;
    this.images = images;
    this.weights = weights;
    this.imageSize = imageSize;
    this.labels = labels;
  }

  /** Checkpoints every {@code interval} instead of every second, in the runs from now on. */
  PipelineBenchmark checkpointingEvery(Duration interval) {
    this.checkpointMillis = interval.toMillis();
    return this;
  }

  /**
   * The throughput with {@code events} waiting before the job starts, and the job's thread CPU per
   * event from the encoder's first tenth of the events to the end (from the job's {@code
   * forwardCpuNanos}, {@code taskCpuNanos} and {@code taskCpuEvents}, each task's CPU over the
   * events it handled); the batches the encoder ran, from its histograms (the last 1,024 batches):
   * their mean size and the mean wall time of their forward passes. {@code eventsPerSecond} is the
   * rate the results commit at, from their arrival times after the first commit; {@code
   * processedPerSecond} the rate the job turned events out at (its {@code eventsOut} counter,
   * sampled every 20 ms, from the first tenth of the events to the last), which checkpoints far
   * apart leave measurable.
   */
  record Sustained(
      BatchingOptions batching,
      long events,
      double eventsPerSecond,
      double processedPerSecond,
      JobMetrics.CpuShare cpu,
      double meanBatchSize,
      double meanForwardMillis,
      double dutyCycle) {}

  /** One stage's latency over the run's last events (its histogram's window), in ms. */
  record Stage(String name, double meanMillis, double p99Millis) {}

  /** Latencies at a paced rate: in the job (event time to result) and to the committed read. */
  record Paced(
      BatchingOptions batching,
      double offeredPerSecond,
      long events,
      long p50,
      long p95,
      long p99,
      long committedP50,
      long committedP99,
      List<Stage> stages) {}

  Sustained sustained(BatchingOptions batching, int events) throws Exception {
    TaggingTopics topics = topics();
    produce(topics.input(), events, 0);
    JobClient job = start(topics, batching, Delivery.EXACTLY_ONCE);
    String name = jobName();
    // The CPU window: from the encoder's first tenth of the events to the end. Its trigger is the
    // encoder's own taskCpuEvents, counted after its CPU, so the window never starts while a batch
    // is going down the chain with its CPU not yet counted (eventsOut, counted downstream as each
    // result goes, could start it there).
    AtomicReference<JobMetrics.CpuSample> atTenth = new AtomicReference<>();
    try (ProgressSampler progress =
        ProgressSampler.start(
            JobMetrics.counterSum(name, "eventsOut"),
            JobMetrics.counterSum(name, JobMetrics.ENCODE_OPERATOR, "taskCpuEvents"),
            Math.max(1, events / 10),
            () -> atTenth.set(JobMetrics.CpuSample.of(name)))) {
      long[] arrivals = new long[events];
      read(topics.results(), events, (i, tag, now) -> arrivals[i] = now);
      JobMetrics.CpuShare cpu = JobMetrics.CpuSample.of(name).since(atTenth.get());
      Arrays.sort(arrivals);
      // From the first commit on: the job is warm and the backlog is still there.
      int first = 0;
      while (first < events && arrivals[first] == arrivals[0]) {
        first++;
      }
      double seconds = (arrivals[events - 1] - arrivals[0]) / 1000.0;
      return new Sustained(
          batching,
          events,
          (events - first) / seconds,
          progress.ratePerSecond(Math.max(1, events / 10), events),
          cpu,
          JobMetrics.histogram(name, "batchSize").getMean(),
          JobMetrics.histogram(name, "encodeLatencyMs").getMean(),
          JobMetrics.gauge(name, "encoderDutyCycle"));
    } finally {
      job.cancel().get();
    }
  }

  Paced paced(BatchingOptions batching, double rate, Duration duration) throws Exception {
    return paced(batching, rate, duration, Delivery.EXACTLY_ONCE);
  }

  /**
   * The same with the sinks' {@code delivery}; the consumer is read_committed in both modes (at
   * least once writes no transactions, so it sees each result as soon as it is written).
   */
  Paced paced(BatchingOptions batching, double rate, Duration duration, Delivery delivery)
      throws Exception {
    TaggingTopics topics = topics();
    JobClient job = start(topics, batching, delivery);
    try {
      // Let the job start before the clock does: one event, then the paced stream.
      produce(topics.input(), 1, 0);
      read(topics.results(), 1, (i, tag, now) -> {});
      int events = (int) Math.max(1, rate * duration.toSeconds());
      long[] inJob = new long[events];
      long[] committed = new long[events];
      Thread producer =
          new Thread(
              () -> {
                try {
                  produce(topics.input(), events, rate);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              "bench-producer");
      producer.start();
      read(
          topics.results(),
          events + 1,
          (i, tag, now) -> {
            if (i > 0) {
              long eventTime = tag.getEventTime().toEpochMilli();
              inJob[i - 1] = tag.getProcessingTime().toEpochMilli() - eventTime;
              committed[i - 1] = now - eventTime;
            }
          });
      producer.join();
      List<Stage> stages = new java.util.ArrayList<>();
      for (String stage : JobMetrics.STAGES) {
        org.apache.flink.metrics.HistogramStatistics h = JobMetrics.histogram(jobName(), stage);
        stages.add(new Stage(stage, h.getMean() / 1e3, h.getQuantile(0.99) / 1e3));
      }
      Arrays.sort(inJob);
      Arrays.sort(committed);
      return new Paced(
          batching,
          rate,
          events,
          percentile(inJob, 50),
          percentile(inJob, 95),
          percentile(inJob, 99),
          percentile(committed, 50),
          percentile(committed, 99),
          stages);
    } finally {
      job.cancel().get();
    }
  }

  private TaggingTopics topics() throws Exception {
    runs++;
    TaggingTopics topics =
        new TaggingTopics(
            "bench-images-" + runs,
            "bench-tags-" + runs,
            "bench-dead-" + runs,
            "bench-label-sets-" + runs,
            "bench-model-updates-" + runs);
    kafka.createTopics(topics.definitions(1, (short) 1));
    return topics;
  }

  private JobClient start(TaggingTopics topics, BatchingOptions batching, Delivery delivery)
      throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(
            JobMetrics.reportingTo(new Configuration()));
    env.setParallelism(1);
    env.enableCheckpointing(checkpointMillis);
    TaggingJob.onKafka(
        env,
        KafkaOptions.of(kafka.bootstrapServers()),
        topics,
        "bench-" + runs,
        false,
        new TaggingSettings(weights, imageSize, batching, labels, 1, ""),
        OutputOptions.defaults().withDelivery(delivery));
    return env.executeAsync(jobName());
  }

  /** The name of the latest run's job, which its metrics' identifiers carry. */
  private String jobName() {
    return "bench-tagging-" + runs;
  }

  /** Sends {@code n} events, as fast as possible when {@code rate} is 0. */
  private void produce(String topic, int n, double rate) throws Exception {
    SingleObjectCodec<ImageEvent> codec = SingleObjectCodec.of(ImageEvent.class);
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = LocalClients.producer(kafka.bootstrapServers())) {
      for (int i = 0; i < n; i++) {
        Pacing.awaitTurn(start, i, rate);
        String id = topic + "-" + i;
        ImageEvent event =
            ImageEvent.newBuilder()
                .setEventId(id)
                .setEventTime(Instant.now())
                .setSource("bench")
                .setImage(ByteBuffer.wrap(images.get(i % images.size())))
                .setContentType("image/png")
                .build();
        producer.send(
            new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), codec.encode(event)));
      }
    }
  }

  interface OnResult {
    void accept(int index, TagResult tag, long nowMillis);
  }

  /** Reads {@code n} committed results from the start of {@code topic}, in a new group. */
  private void read(String topic, int n, OnResult onResult) {
    SingleObjectCodec<TagResult> codec = SingleObjectCodec.of(TagResult.class);
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    int seen = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        LocalClients.readCommitted(kafka.bootstrapServers(), "bench-reader-" + System.nanoTime())) {
      consumer.subscribe(List.of(topic));
      while (seen < n) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "only " + seen + " of " + n + " results on " + topic + " in " + READ_TIMEOUT);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
          onResult.accept(seen++, codec.decode(r.value()).value(), System.currentTimeMillis());
        }
      }
    }
  }

  static long percentile(long[] sorted, double p) {
    return LatencyStats.nearestRank(sorted, p);
  }
}
