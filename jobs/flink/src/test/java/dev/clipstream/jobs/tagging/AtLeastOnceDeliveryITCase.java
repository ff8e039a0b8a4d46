package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.io.Delivery;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.io.OutputOptions;
import dev.clipstream.jobs.runtime.DemoImages;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.jobs.testing.PoisonInputs;
import dev.clipstream.jobs.testing.TaggingRuns;
import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tagging job with {@code output.delivery=at-least-once} on the in-process broker and a
 * MiniCluster: across a TaskManager failure nothing is lost and every record written twice has the
 * key of one written before it and the same content; results are readable before any checkpoint
 * completes, where the exactly-once sinks hold them back until one does.
 */
class AtLeastOnceDeliveryITCase {

  static final int IMAGES = 300;

  /** Inputs that become dead letters: two without an event id, one with. */
  static final List<String> POISON =
      List.of(PoisonInputs.RANDOM_BYTES, PoisonInputs.TRUNCATED_AVRO, PoisonInputs.NOT_AN_IMAGE);

  /** Images sent per second while the job runs, so that a failure finds it mid-stream. */
  static final int PACE_PER_SECOND = 25;

  /** Checkpoints of the failure run: rare enough that results come out between two of them. */
  static final long FAILURE_CHECKPOINT_MILLIS = 4000;

  /** Results that must appear after a checkpoint completed and before the failure. */
  static final int AFTER_CHECKPOINT = 10;

  /**
   * Interval and minimum pause of the visibility runs: Flink starts the first checkpoint at a
   * random delay between the two, so none can complete while these runs last.
   */
  static final Duration NO_CHECKPOINT_YET = Duration.ofMinutes(30);

  /**
   * Largest difference allowed between a float of a record and of its replayed copy: the replay may
   * put an image in a batch of another size, and the engine's batched forward pass is not bitwise
   * the same across batch sizes.
   */
  static final float FLOAT_BOUND = 1e-5f;

  static final Duration WAIT = Duration.ofMinutes(4);

  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension static final MiniClusterExtension FLINK = Pipelines.miniCluster(METRICS);

  @TempDir Path cache;

  @Test
  void losesNothingAcrossATaskManagerFailureAndRewritesReplaysUnderTheirKeys(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    DemoImages images = TaggingRuns.testImages(cache, IMAGES);
    List<byte[]> inputs = new ArrayList<>(TaggingRuns.imageEvents(images, 0, IMAGES));
    for (int i = 0; i < POISON.size(); i++) {
      inputs.add((i + 1) * IMAGES / (POISON.size() + 1), PoisonInputs.get(POISON.get(i)).value());
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Pipelines.createTopics(kafka, Pipelines.TOPICS);
      KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
      StreamExecutionEnvironment env = Pipelines.environment(FAILURE_CHECKPOINT_MILLIS);
      JobClient job = start(env, kafka, Delivery.AT_LEAST_ONCE, "at-least-once-failure");
      JobID id = job.getJobID();
      long restarts;
      long failedAfter;
      long restoredFrom;
      Thread producer = null;
      try (KafkaConsumer<byte[], byte[]> watch = client.consumer("read_committed")) {
        // The first event alone, so that the paced rest finds the job running.
        client.produce(Pipelines.TOPICS.input(), null, inputs.subList(0, 1));
        awaitDistinct(client, "read_committed", Pipelines.TOPICS.results(), 1);
        producer = pacedProducer(kafka.bootstrapServers(), inputs.subList(1, inputs.size()));
        producer.start();
        // Fail once results have been appended after the latest completed checkpoint (their
        // offsets are past the end the topic had when it had completed): the restart replays
        // from that checkpoint, so those results are certainly written again.
        List<TopicPartition> partitions = partitions(watch, Pipelines.TOPICS.results());
        long checkpoint = -1;
        long endAtCheckpoint = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
          assertTrue(System.nanoTime() < deadline, "no results after a completed checkpoint");
          var latest =
              Pipelines.checkpointStats(cluster, id).getHistory().getLatestCompletedCheckpoint();
          long end = watch.endOffsets(partitions).values().stream().mapToLong(o -> o).sum();
          if (latest != null && latest.getCheckpointId() != checkpoint) {
            checkpoint = latest.getCheckpointId();
            endAtCheckpoint = end;
          } else if (checkpoint >= 0 && end >= endAtCheckpoint + AFTER_CHECKPOINT) {
            break;
          }
          Thread.sleep(20);
        }
        cluster.terminateTaskManager(0).get();
        cluster.startTaskManager();
        failedAfter = checkpoint;

        awaitDistinct(client, "read_committed", Pipelines.TOPICS.results(), IMAGES);
        awaitDistinct(client, "read_committed", Pipelines.TOPICS.deadLetters(), POISON.size());
        restarts = Pipelines.restarts(METRICS, id);
        var restored = Pipelines.checkpointStats(cluster, id).getLatestRestoredCheckpoint();
        assertTrue(restored != null, "the job restored a checkpoint");
        restoredFrom = restored.getCheckpointId();
      } finally {
        if (producer != null) {
          producer.join();
        }
        job.cancel().get();
      }

      Map<String, List<ConsumerRecord<byte[], byte[]>>> results =
          byKey(readToEnd(client, Pipelines.TOPICS.results()));
      Map<String, List<ConsumerRecord<byte[], byte[]>>> letters =
          byKey(readToEnd(client, Pipelines.TOPICS.deadLetters()));
      Set<String> expected = new TreeSet<>();
      for (int n = 0; n < IMAGES; n++) {
        expected.add(DemoImages.id(n));
      }
      assertEquals(expected, results.keySet(), "every input's event id among the results");
      assertEquals(POISON.size(), letters.size(), "every poison input dead-lettered");
      assertTrue(
          letters.keySet().stream().noneMatch(results::containsKey), "no key in both topics");
      assertEquals(
          inputs.size(),
          results.size() + letters.size(),
          "results + dead letters, distinct keys = inputs");

      SingleObjectCodec<TagResult> tags = SingleObjectCodec.of(TagResult.class);
      SingleObjectCodec<DeadLetter> dead = SingleObjectCodec.of(DeadLetter.class);
      Copies copies = new Copies();
      for (var e : results.entrySet()) {
        TagResult first = tags.decode(e.getValue().get(0).value()).value();
        assertEquals(e.getKey(), first.getEventId(), "keyed by event id");
        for (ConsumerRecord<byte[], byte[]> r : e.getValue().subList(1, e.getValue().size())) {
          assertEquals(e.getValue().get(0).partition(), r.partition(), "a copy on its key's");
          copies.compare(first, tags.decode(r.value()).value());
        }
      }
      for (var e : letters.entrySet()) {
        DeadLetter first = dead.decode(e.getValue().get(0).value()).value();
        for (ConsumerRecord<byte[], byte[]> r : e.getValue().subList(1, e.getValue().size())) {
          DeadLetter copy = dead.decode(r.value()).value();
          copy.setFailedTime(first.getFailedTime());
          assertEquals(first, copy, "a replayed dead letter is the same letter");
          copies.deadLetters++;
        }
      }
      assertTrue(restarts >= 1, "the job restarted: " + restarts);
      if (restoredFrom == failedAfter) {
        assertTrue(copies.results >= AFTER_CHECKPOINT, "the replay rewrote results: " + copies);
      } else {
        // A checkpoint completed in the moment between the last look and the failure.
        System.out.printf(
            "restored checkpoint %d, not %d: the rewrites are not counted%n",
            restoredFrom, failedAfter);
      }
      System.out.printf(
          "at least once across a TaskManager failure: %d inputs -> %d distinct results + %d"
              + " distinct dead letters; %s; %d restart(s)%n",
          inputs.size(), results.size(), letters.size(), copies, restarts);
    }
  }

  @Test
  void resultsAreReadableBeforeAnyCheckpointCompletes(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    int count = 40;
    DemoImages images = TaggingRuns.testImages(cache, count);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      KafkaTestClient client = TaggingRuns.brokerWithInput(kafka, images, count);
      JobClient job =
          start(noCheckpointYet(), kafka, Delivery.AT_LEAST_ONCE, "at-least-once-visible");
      try {
        Set<String> uncommitted =
            awaitDistinct(client, "read_uncommitted", Pipelines.TOPICS.results(), count);
        Set<String> committed =
            awaitDistinct(client, "read_committed", Pipelines.TOPICS.results(), count);
        assertEquals(
            0,
            completedCheckpoints(cluster, job.getJobID()),
            "all results were read before the first checkpoint completed");
        Set<String> expected = new TreeSet<>();
        for (int n = 0; n < count; n++) {
          expected.add(DemoImages.id(n));
        }
        assertEquals(expected, uncommitted, "read_uncommitted");
        assertEquals(expected, committed, "read_committed: no transaction holds them back");
      } finally {
        job.cancel().get();
      }
    }
  }

  @Test
  void exactlyOnceResultsWaitForACheckpoint(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    int count = 40;
    DemoImages images = TaggingRuns.testImages(cache, count);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      KafkaTestClient client = TaggingRuns.brokerWithInput(kafka, images, count);
      JobClient job = start(noCheckpointYet(), kafka, Delivery.EXACTLY_ONCE, "exactly-once-held");
      try {
        // Written, in transactions still open ...
        awaitDistinct(client, "read_uncommitted", Pipelines.TOPICS.results(), count);
        // ... so a read_committed consumer's end (the last stable offset) has not moved.
        long stable;
        try (KafkaConsumer<byte[], byte[]> consumer = client.consumer("read_committed")) {
          List<TopicPartition> partitions = partitions(consumer, Pipelines.TOPICS.results());
          stable = consumer.endOffsets(partitions).values().stream().mapToLong(o -> o).sum();
        }
        assertEquals(0, completedCheckpoints(cluster, job.getJobID()), "no checkpoint yet");
        assertEquals(0, stable, "read_committed consumers see no result before a checkpoint");
      } finally {
        job.cancel().get();
      }
    }
  }

  /** How far two copies of a result differ: counts and the largest float difference. */
  static final class Copies {
    int results;
    int identical;
    int deadLetters;
    double maxDifference;

    /** Asserts that {@code copy} says what {@code first} said, floats within the bound. */
    void compare(TagResult first, TagResult copy) {
      results++;
      TagResult a = TagResult.newBuilder(first).setProcessingTime(Instant.EPOCH).build();
      TagResult b = TagResult.newBuilder(copy).setProcessingTime(Instant.EPOCH).build();
      if (a.equals(b)) {
        identical++;
        return;
      }
      String id = first.getEventId();
      assertEquals(a.getLabels().size(), b.getLabels().size(), id);
      for (int i = 0; i < a.getLabels().size(); i++) {
        assertEquals(a.getLabels().get(i).getLabel(), b.getLabels().get(i).getLabel(), id);
        close(a.getLabels().get(i).getScore(), b.getLabels().get(i).getScore(), id);
        b.getLabels().get(i).setScore(a.getLabels().get(i).getScore());
      }
      close(a.getImageEmbedding(), b.getImageEmbedding(), id);
      b.setImageEmbedding(a.getImageEmbedding());
      if (a.getCaptionEmbedding() != null && b.getCaptionEmbedding() != null) {
        close(a.getCaptionEmbedding(), b.getCaptionEmbedding(), id);
        close(a.getCaptionSimilarity(), b.getCaptionSimilarity(), id);
        b.setCaptionEmbedding(a.getCaptionEmbedding());
        b.setCaptionSimilarity(a.getCaptionSimilarity());
      }
      assertEquals(a, b, id + ": a copy differs beyond its floats");
    }

    private void close(List<Float> a, List<Float> b, String id) {
      assertEquals(a.size(), b.size(), id);
      for (int i = 0; i < a.size(); i++) {
        close(a.get(i), b.get(i), id);
      }
    }

    private void close(float a, float b, String id) {
      double d = Math.abs((double) a - b);
      maxDifference = Math.max(maxDifference, d);
      assertTrue(d <= FLOAT_BOUND, id + ": " + a + " vs " + b);
    }

    @Override
    public String toString() {
      return String.format(
          "%d results written again (%d bit-identical but for the processing time, largest float"
              + " difference %.3g), %d dead letters written again",
          results, identical, maxDifference, deadLetters);
    }
  }

  private static JobClient start(
      StreamExecutionEnvironment env, EmbeddedKafka kafka, Delivery delivery, String name)
      throws Exception {
    TaggingJob.onKafka(
        env,
        KafkaOptions.of(kafka.bootstrapServers()),
        Pipelines.TOPICS,
        name,
        false,
        TaggingRuns.settings(),
        OutputOptions.defaults().withDelivery(delivery));
    return env.executeAsync(name);
  }

  /** Parallelism 2, with checkpoints configured but none due before these runs end. */
  private static StreamExecutionEnvironment noCheckpointYet() {
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, NO_CHECKPOINT_YET);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    env.enableCheckpointing(NO_CHECKPOINT_YET.toMillis());
    return env;
  }

  private static long completedCheckpoints(MiniCluster cluster, JobID job) throws Exception {
    return Pipelines.checkpointStats(cluster, job).getCounts().getNumberOfCompletedCheckpoints();
  }

  /** Sends {@code values} to the input topic at {@link #PACE_PER_SECOND}. */
  private static Thread pacedProducer(String bootstrapServers, List<byte[]> values) {
    return new Thread(
        () -> {
          Map<String, Object> config =
              Map.of(
                  "bootstrap.servers",
                  bootstrapServers,
                  "acks",
                  "all",
                  "key.serializer",
                  ByteArraySerializer.class,
                  "value.serializer",
                  ByteArraySerializer.class);
          try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            for (byte[] value : values) {
              producer.send(new ProducerRecord<>(Pipelines.TOPICS.input(), value)).get();
              Thread.sleep(1000 / PACE_PER_SECOND);
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        },
        "paced-producer");
  }

  /** Reads {@code topic} at {@code isolation} until {@code expected} distinct keys are there. */
  private static Set<String> awaitDistinct(
      KafkaTestClient client, String isolation, String topic, int expected) {
    Set<String> keys = new TreeSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer = client.consumer(isolation)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (keys.size() < expected) {
        assertTrue(
            System.nanoTime() < deadline,
            "only "
                + keys.size()
                + " of "
                + expected
                + " keys on "
                + topic
                + " ("
                + isolation
                + ")");
        consumer.poll(Duration.ofMillis(100)).forEach(r -> keys.add(key(r)));
      }
    }
    return keys;
  }

  /** Every record on {@code topic} now, each partition from its start to its end. */
  private static List<ConsumerRecord<byte[], byte[]>> readToEnd(
      KafkaTestClient client, String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = client.consumer("read_committed")) {
      List<TopicPartition> partitions = partitions(consumer, topic);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    return records;
  }

  private static List<TopicPartition> partitions(
      KafkaConsumer<byte[], byte[]> consumer, String topic) {
    return consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition()))
        .toList();
  }

  /** The records by key, each key's in the order read (offset order within its partition). */
  private static Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey(
      List<ConsumerRecord<byte[], byte[]>> records) {
    Map<String, List<ConsumerRecord<byte[], byte[]>>> out = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      out.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r);
    }
    return out;
  }

  private static String key(ConsumerRecord<byte[], byte[]> r) {
    assertTrue(r.key() != null, "every record has a key: " + r.topic() + "@" + r.offset());
    return new String(r.key(), StandardCharsets.UTF_8);
  }
}
