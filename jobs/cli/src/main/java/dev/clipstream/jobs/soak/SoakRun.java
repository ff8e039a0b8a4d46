package dev.clipstream.jobs.soak;

import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.DemoEvents;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.runtime.LocalClients;
import dev.clipstream.jobs.runtime.Pacing;
import dev.clipstream.jobs.tagging.BatchingOptions;
import dev.clipstream.jobs.tagging.TaggingJob;
import dev.clipstream.jobs.tagging.TaggingOptions;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A steady load through the tagging job on the embedded runtime for a fixed time, sampling the
 * process once a second, then judging the resident set's trend after the warm-up.
 */
public final class SoakRun {

  /** What to run and how to judge it. */
  public record Plan(
      Duration length,
      Duration warmup,
      double eventsPerSecond,
      long maxGrowthBytes,
      int imageSize) {}

  /** What came out. */
  public record Result(
      List<MemorySample> samples,
      MemoryTrend rss,
      MemoryTrend heap,
      MemoryTrend files,
      long produced,
      long consumed,
      boolean passed) {

    public String toText(Plan plan) {
      return String.format(
          Locale.ROOT,
          "soak: %d s at %.0f events/s: %d events in, %d results and dead letters out%n"
              + "  resident set after the %d s warm-up: %.0f -> %.0f MiB, trend %+.1f MiB/min (%+.1f MiB over the run; bound %d MiB)%n"
              + "  heap: trend %+.1f MiB/min; open files: %.0f -> %.0f%n"
              + "  %s%n",
          plan.length().toSeconds(),
          plan.eventsPerSecond(),
          produced,
          consumed,
          plan.warmup().toSeconds(),
          rss.first() / 1048576,
          rss.last() / 1048576,
          rss.slopePerMinute() / 1048576,
          rss.growth() / 1048576,
          plan.maxGrowthBytes() / 1048576,
          heap.slopePerMinute() / 1048576,
          files.first(),
          files.last(),
          passed ? "PASSED: memory held flat" : "FAILED: resident memory grew past the bound");
    }
  }

  private SoakRun() {}

  /** Runs the soak; writes {@code memory.csv} and {@code memory.png} into {@code out}. */
  public static Result run(Plan plan, DemoEvents events, LabelSet labels, Path out, PrintWriter log)
      throws Exception {
    Files.createDirectories(out);
    TaggingJob.Topics topics = TaggingJob.Topics.defaults();
    List<MemorySample> samples = new ArrayList<>();
    AtomicLong produced = new AtomicLong();
    AtomicLong consumed = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopics(topics.definitions(2, (short) 1));
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(new Configuration());
      env.setParallelism(2);
      env.enableCheckpointing(1000);
      TaggingJob.onKafka(
          env,
          KafkaOptions.of(kafka.bootstrapServers()),
          topics,
          TaggingOptions.groupId(new org.apache.flink.configuration.Configuration()),
          false,
          new TaggingJob.Settings(
              "", plan.imageSize(), new BatchingOptions(32, Duration.ofMillis(50)), labels, 3, ""));
      JobClient job = env.executeAsync("clipstream-soak");
      Thread producer =
          new Thread(
              () -> produce(kafka, topics.input(), events, plan, running, produced),
              "soak-producer");
      Thread consumer =
          new Thread(() -> consume(kafka, topics, running, consumed), "soak-consumer");
      producer.setDaemon(true);
      consumer.setDaemon(true);
      long start = System.nanoTime();
      producer.start();
      consumer.start();
      try {
        while (System.nanoTime() - start < plan.length().toNanos()) {
          samples.add(MemorySample.take(start));
          if (samples.size() % 10 == 0) {
            MemorySample s = samples.get(samples.size() - 1);
            log.printf(
                Locale.ROOT,
                "%5.0f s  %6d in %6d out  rss %5d MiB  heap %5d MiB  files %d%n",
                s.seconds(),
                produced.get(),
                consumed.get(),
                s.rssBytes() >> 20,
                s.heapBytes() >> 20,
                s.openFiles());
            log.flush();
          }
          Thread.sleep(1000);
        }
      } finally {
        running.set(false);
        producer.join(5000);
        consumer.join(5000);
        job.cancel().get();
      }
    }
    double from = plan.warmup().toSeconds();
    MemoryTrend rss = MemoryTrend.of(samples, from, MemorySample::rssBytes);
    MemoryTrend heap = MemoryTrend.of(samples, from, MemorySample::heapBytes);
    MemoryTrend files = MemoryTrend.of(samples, from, MemorySample::openFiles);
    boolean passed = rss.growth() <= plan.maxGrowthBytes();
    writeCsv(out.resolve("memory.csv"), samples);
    MemoryChart.write(
        out.resolve("memory.png"),
        String.format(
            Locale.ROOT,
            "clipstream soak: %d s at %.0f events/s, RSS trend %+.1f MiB/min after warm-up",
            plan.length().toSeconds(),
            plan.eventsPerSecond(),
            rss.slopePerMinute() / 1048576),
        samples,
        from);
    return new Result(samples, rss, heap, files, produced.get(), consumed.get(), passed);
  }

  private static void writeCsv(Path file, List<MemorySample> samples) throws IOException {
    StringBuilder csv = new StringBuilder("seconds,heap_bytes,rss_bytes,open_files\n");
    for (MemorySample s : samples) {
      csv.append(
          String.format(
              Locale.ROOT,
              "%.1f,%d,%d,%d%n",
              s.seconds(),
              s.heapBytes(),
              s.rssBytes(),
              s.openFiles()));
    }
    Files.writeString(file, csv);
  }

  private static void produce(
      EmbeddedKafka kafka,
      String topic,
      DemoEvents events,
      Plan plan,
      AtomicBoolean running,
      AtomicLong produced) {
    SingleObjectCodec<ImageEvent> codec = SingleObjectCodec.of(ImageEvent.class);
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = LocalClients.producer(kafka.bootstrapServers())) {
      for (long n = 0; running.get(); n++) {
        Pacing.awaitTurn(start, n, plan.eventsPerSecond());
        ImageEvent event = events.event(n);
        producer.send(
            new ProducerRecord<>(
                topic, event.getEventId().getBytes(StandardCharsets.UTF_8), codec.encode(event)));
        produced.incrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void consume(
      EmbeddedKafka kafka, TaggingJob.Topics topics, AtomicBoolean running, AtomicLong consumed) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        LocalClients.readCommitted(kafka.bootstrapServers(), "soak-reader")) {
      consumer.subscribe(List.of(topics.results(), topics.deadLetters()));
      while (running.get()) {
        consumed.addAndGet(consumer.poll(Duration.ofMillis(200)).count());
      }
    }
  }
}
