package dev.clipstream.jobs.soak;

import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.DemoEvents;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.runtime.LocalClients;
import dev.clipstream.jobs.runtime.Pacing;
import dev.clipstream.jobs.tagging.BatchingOptions;
import dev.clipstream.jobs.tagging.TaggingJob;
import dev.clipstream.jobs.tagging.TaggingOptions;
import dev.clipstream.jobs.tagging.TaggingSettings;
import dev.clipstream.jobs.tagging.TaggingTopics;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A steady load through the tagging job on the embedded runtime (in-process broker, MiniCluster,
 * exactly-once sinks, checkpoints every second) for a fixed time, sampling the process once a
 * second; then the producer stops, the job drains, and the verdict is read off the samples.
 */
public final class SoakRun {

  /** Checkpoints commit the results: every second, as in the demo. */
  static final long CHECKPOINT_MILLIS = 1000;

  /**
   * What to run and how to judge it. With {@code events} above 0 the producer stops after that many
   * events, however long they take, instead of after {@code length}; the judged window starts after
   * both {@code warmup} and the first {@code warmupEvents} processed (the JIT compiles and the
   * buffers reach their high-water marks after so many events, on a slow machine as on a fast one).
   */
  public record Plan(
      Duration length,
      long events,
      Duration warmup,
      long warmupEvents,
      double eventsPerSecond,
      int maxInFlight,
      long maxBytesPerEvent,
      long maxGrowthBytes,
      String weights,
      int parallelism,
      Duration drain,
      int leakBytesPerEvent) {}

  private SoakRun() {}

  /** Runs the soak; writes {@code memory.csv} and {@code memory.png} into {@code out}. */
  public static SoakResult run(
      Plan plan, DemoEvents events, LabelSet labels, Path out, PrintWriter log) throws Exception {
    Files.createDirectories(out);
    TaggingTopics topics = TaggingTopics.defaults();
    List<MemorySample> samples = Collections.synchronizedList(new ArrayList<>());
    OutputLedger ledger = new OutputLedger();
    AtomicLong produced = new AtomicLong();
    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicBoolean reading = new AtomicBoolean(true);
    InjectedLeak leak = new InjectedLeak(plan.leakBytesPerEvent());
    double producedFor;
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopics(topics.definitions(plan.parallelism(), (short) 1));
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(new Configuration());
      env.setParallelism(plan.parallelism());
      env.enableCheckpointing(CHECKPOINT_MILLIS);
      TaggingJob.onKafka(
          env,
          KafkaOptions.of(kafka.bootstrapServers()),
          topics,
          TaggingOptions.groupId(new Configuration()),
          false,
          new TaggingSettings(
              plan.weights(), 0, new BatchingOptions(32, Duration.ofMillis(50)), labels, 3, ""));
      JobClient job = env.executeAsync("clipstream-soak");
      Thread producer =
          new Thread(
              () -> produce(kafka, topics.input(), events, plan, producing, produced, ledger),
              "soak-producer");
      Thread consumer =
          new Thread(() -> consume(kafka, topics, reading, ledger, leak), "soak-consumer");
      producer.setDaemon(true);
      consumer.setDaemon(true);
      long start = System.nanoTime();
      producer.start();
      consumer.start();
      try {
        while (plan.events() > 0
            ? producer.isAlive()
            : System.nanoTime() - start < plan.length().toNanos()) {
          sample(samples, start, produced, ledger, log);
          Thread.sleep(1000);
        }
        producing.set(false);
        producer.join(10_000);
        producedFor = (System.nanoTime() - start) / 1e9;
        long drainEnd = System.nanoTime() + plan.drain().toNanos();
        while (ledger.processed() < produced.get() && System.nanoTime() < drainEnd) {
          sample(samples, start, produced, ledger, log);
          Thread.sleep(1000);
        }
        // One more second: a duplicate would come in a later transaction than the first copy.
        Thread.sleep(1000);
        sample(samples, start, produced, ledger, log);
      } finally {
        producing.set(false);
        reading.set(false);
        producer.join(10_000);
        consumer.join(10_000);
        job.cancel().get();
      }
    }
    SoakResult result =
        SoakResult.of(plan, List.copyOf(samples), producedFor, produced.get(), ledger);
    SoakFiles.writeCsv(out.resolve("memory.csv"), result.samples());
    MemoryChart.write(out.resolve("memory.png"), result);
    return result;
  }

  private static void sample(
      List<MemorySample> samples,
      long start,
      AtomicLong produced,
      OutputLedger ledger,
      PrintWriter log) {
    MemorySample s = MemorySample.take(start, produced.get(), ledger.processed());
    samples.add(s);
    if (samples.size() % 10 == 0) {
      log.printf(
          Locale.ROOT,
          "%5.0f s  %7d in %7d out  rss %5d MiB (anon %5d)  heap %5d MiB  direct %4d MiB  files %d%n",
          s.seconds(),
          s.produced(),
          s.processed(),
          s.rssBytes() >> 20,
          s.rssAnonBytes() >> 20,
          s.heapBytes() >> 20,
          s.directBytes() >> 20,
          s.openFiles());
      log.flush();
    }
  }

  private static void produce(
      EmbeddedKafka kafka,
      String topic,
      DemoEvents events,
      Plan plan,
      AtomicBoolean running,
      AtomicLong produced,
      OutputLedger ledger) {
    SingleObjectCodec<ImageEvent> codec = SingleObjectCodec.of(ImageEvent.class);
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = LocalClients.producer(kafka.bootstrapServers())) {
      for (long n = 0; running.get() && (plan.events() == 0 || n < plan.events()); n++) {
        Pacing.awaitTurn(start, n, plan.eventsPerSecond());
        // A bounded backlog: the job is kept busy without Kafka's log and the consumer's lag
        // growing for the whole run when the offered rate is more than it can take.
        while (plan.maxInFlight() > 0
            && n - ledger.processed() >= plan.maxInFlight()
            && running.get()) {
          Thread.sleep(5);
        }
        if (!running.get()) {
          break;
        }
        ImageEvent event = events.event(n);
        producer.send(
            new ProducerRecord<>(
                topic, event.getEventId().getBytes(StandardCharsets.UTF_8), codec.encode(event)));
        produced.incrementAndGet();
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void consume(
      EmbeddedKafka kafka,
      TaggingTopics topics,
      AtomicBoolean running,
      OutputLedger ledger,
      InjectedLeak leak) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        LocalClients.readCommitted(kafka.bootstrapServers(), "soak-reader")) {
      consumer.subscribe(List.of(topics.results(), topics.deadLetters()));
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          ledger.record(r.topic().equals(topics.results()), r.key());
          leak.onEvent();
        }
      }
    }
  }
}
