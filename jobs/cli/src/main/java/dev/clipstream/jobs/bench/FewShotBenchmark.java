package dev.clipstream.jobs.bench;

import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
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
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Labels taught through the stream, measured in the tagging job on the embedded runtime (in-process
 * broker, MiniCluster at parallelism 1, exactly-once sinks, checkpoints every second): the measured
 * images are tagged once before any example; then the examples are published while images of the
 * taught labels trickle in, and the time from the first example to the first correct tag of a
 * taught label is taken (in the job: the result's processing time; committed: when a read_committed
 * consumer has it); once a completed checkpoint covers every example (the control source's
 * committed offset on the examples topic), so every later image is labelled with all of them, the
 * measured images are tagged again.
 */
public final class FewShotBenchmark {

  /** Checkpoints commit the results: every second, as in the demo. */
  static final long CHECKPOINT_MILLIS = 1000;

  /** Longest a phase may wait for its results. */
  static final Duration READ_TIMEOUT = Duration.ofMinutes(5);

  /** Images of the taught labels per second while the first correct tag is awaited. */
  static final double TRICKLE_PER_SECOND = 20;

  /** An image and its true label. */
  public record Image(byte[] png, String label) {}

  private final EmbeddedKafka kafka;
  private final String weights;
  private final int imageSize;
  private final Set<String> taughtLabels;
  private final PrintWriter log;
  private final SingleObjectCodec<ImageEvent> events = SingleObjectCodec.of(ImageEvent.class);
  private int runs;

  public FewShotBenchmark(
      EmbeddedKafka kafka,
      String weights,
      int imageSize,
      Set<String> taughtLabels,
      PrintWriter log) {
    this.kafka = kafka;
    this.weights = weights;
    this.imageSize = imageSize;
    this.taughtLabels = taughtLabels;
    this.log = log;
  }

  /**
   * One run: the job labelling with {@code labels}, taught {@code examples}, measured on {@code
   * measured}. The trickle is the measured images of the taught labels that were tagged wrong
   * before, so that a correct tag of one is the examples' doing.
   */
  public FewShotResult run(String name, LabelSet labels, List<Image> examples, List<Image> measured)
      throws Exception {
    runs++;
    TaggingTopics topics =
        new TaggingTopics(
                "fewshot-images-" + runs,
                "fewshot-tags-" + runs,
                "fewshot-dead-" + runs,
                "fewshot-label-sets-" + runs,
                "fewshot-model-updates-" + runs)
            .withExamples("fewshot-examples-" + runs);
    kafka.createTopics(topics.definitions(1, (short) 1));
    String group = "fewshot-" + runs;
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(new Configuration());
    env.setParallelism(1);
    env.enableCheckpointing(CHECKPOINT_MILLIS);
    TaggingJob.onKafka(
        env,
        KafkaOptions.of(kafka.bootstrapServers()),
        topics,
        group,
        false,
        new TaggingSettings(
            weights, imageSize, new BatchingOptions(32, Duration.ofMillis(50)), labels, 1, ""));
    JobClient job = env.executeAsync("fewshot-" + runs);
    try (KafkaConsumer<byte[], byte[]> results =
        LocalClients.readCommitted(kafka.bootstrapServers(), "fewshot-reader-" + runs)) {
      results.subscribe(List.of(topics.results()));
      Map<String, String> truth = new HashMap<>();
      send(topics.input(), "before-", measured, truth, 0, null);
      List<TagResult> beforeTags = read(results, measured.size());
      FewShotResult.Accuracy before = FewShotResult.Accuracy.of(beforeTags, truth, taughtLabels);
      log.printf("%s: before the examples %s%n", name, before);
      log.flush();
      List<Image> trickle = new java.util.ArrayList<>();
      for (TagResult tag : beforeTags) {
        Image image = measured.get(Integer.parseInt(tag.getEventId().toString().substring(7)));
        if (taughtLabels.contains(image.label())
            && !tag.getLabels().get(0).getLabel().toString().equals(image.label())) {
          trickle.add(image);
        }
      }

      long first = System.currentTimeMillis();
      publishExamples(topics.examples(), examples);
      AtomicBoolean found = new AtomicBoolean();
      Thread producer =
          new Thread(
              () -> {
                try {
                  send(topics.input(), "trickle-", trickle, truth, TRICKLE_PER_SECOND, found);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              "fewshot-trickle");
      producer.start();
      long inJob = -1;
      long committed = -1;
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (inJob < 0 && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : results.poll(Duration.ofMillis(20))) {
          TagResult tag = events(r);
          String id = tag.getEventId().toString();
          String top = tag.getLabels().get(0).getLabel().toString();
          if (inJob < 0 && id.startsWith("trickle-") && top.equals(truth.get(id))) {
            inJob = tag.getProcessingTime().toEpochMilli() - first;
            committed = System.currentTimeMillis() - first;
          }
        }
      }
      found.set(true);
      producer.join();
      log.printf(
          "%s: first correct tag of a taught label %d ms after the first example (committed %d"
              + " ms)%n",
          name, inJob, committed);
      log.flush();
      awaitExamplesCheckpointed(group + "-control", topics.examples(), examples.size());
      // Drain the rest of the trickle so the next read sees only the measured images.
      drain(results);
      send(topics.input(), "after-", measured, truth, 0, null);
      FewShotResult.Accuracy after =
          FewShotResult.Accuracy.of(read(results, measured.size()), truth, taughtLabels);
      log.printf("%s: after the examples %s%n", name, after);
      log.flush();
      return new FewShotResult(name, before, after, inJob, committed, examples.size());
    } finally {
      job.cancel().get();
    }
  }

  private TagResult events(ConsumerRecord<byte[], byte[]> r) {
    return SingleObjectCodec.of(TagResult.class).decode(r.value()).value();
  }

  private void send(
      String topic,
      String prefix,
      List<Image> images,
      Map<String, String> truth,
      double rate,
      AtomicBoolean stop)
      throws Exception {
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = LocalClients.producer(kafka.bootstrapServers())) {
      for (int i = 0; stop == null ? i < images.size() : !stop.get(); i++) {
        Pacing.awaitTurn(start, i, rate);
        Image image = images.get(i % images.size());
        String id = prefix + i;
        synchronized (truth) {
          truth.put(id, image.label());
        }
        producer.send(
            new ProducerRecord<>(
                topic, id.getBytes(StandardCharsets.UTF_8), events.encode(event(id, image, null))));
      }
    }
  }

  private void publishExamples(String topic, List<Image> examples) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = LocalClients.producer(kafka.bootstrapServers())) {
      for (int i = 0; i < examples.size(); i++) {
        String id = "example-" + i;
        producer.send(
            new ProducerRecord<>(
                topic,
                id.getBytes(StandardCharsets.UTF_8),
                events.encode(event(id, examples.get(i), examples.get(i).label()))));
      }
    }
  }

  private static ImageEvent event(String id, Image image, String label) {
    return ImageEvent.newBuilder()
        .setEventId(id)
        .setEventTime(Instant.now())
        .setSource("bench-fewshot")
        .setImage(ByteBuffer.wrap(image.png()))
        .setContentType("image/png")
        .setLabel(label)
        .build();
  }

  /**
   * Waits until a completed checkpoint covers {@code count} records of the examples topic: the
   * Kafka source commits its offsets when a checkpoint completes, and every operator downstream,
   * the encoder included, took the records before that checkpoint's barrier.
   */
  private void awaitExamplesCheckpointed(String group, String topic, int count) throws Exception {
    TopicPartition partition = new TopicPartition(topic, 0);
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    try (Admin admin = kafka.admin()) {
      long end =
          admin
              .listOffsets(Map.of(partition, OffsetSpec.latest()))
              .partitionResult(partition)
              .get()
              .offset();
      while (System.nanoTime() < deadline) {
        OffsetAndMetadata at =
            admin
                .listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get()
                .get(partition);
        if (at != null && at.offset() >= end && end >= count) {
          return;
        }
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("no checkpoint covered the " + count + " examples");
  }

  private void drain(KafkaConsumer<byte[], byte[]> results) {
    // Two checkpoint intervals with nothing new: the trickle's results are all in.
    int quiet = 0;
    while (quiet < 2 * CHECKPOINT_MILLIS / 100) {
      quiet = results.poll(Duration.ofMillis(100)).isEmpty() ? quiet + 1 : 0;
    }
  }

  private List<TagResult> read(KafkaConsumer<byte[], byte[]> results, int n) {
    List<TagResult> out = new java.util.ArrayList<>();
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (out.size() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + out.size() + " of " + n + " results");
      }
      for (ConsumerRecord<byte[], byte[]> r : results.poll(Duration.ofMillis(50))) {
        out.add(events(r));
      }
    }
    return out;
  }
}
