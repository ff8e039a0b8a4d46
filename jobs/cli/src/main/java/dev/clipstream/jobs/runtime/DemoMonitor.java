package dev.clipstream.jobs.runtime;

import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.format.AnyFormatDecoder;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Drives the demo: a producer thread streams demo events, and this thread reads the committed
 * results and dead letters, printing a live line (rate, latency percentiles, accuracy against the
 * true labels, the last tag) until every event has come back.
 */
public final class DemoMonitor {

  /** Give up when nothing comes back for this long. */
  static final Duration STALL = Duration.ofMinutes(3);

  /** What the demo measured. */
  public record Summary(
      long events,
      long results,
      long deadLetters,
      long correct,
      long labelled,
      double seconds,
      long p50,
      long p95,
      long p99,
      String learning) {
    public String toText() {
      String accuracy =
          labelled == 0
              ? "  zero-shot accuracy: no true labels for these images%n"
              : String.format(
                  "  zero-shot accuracy %.4f (%d of %d)%n",
                  (double) correct / labelled, correct, labelled);
      return String.format(
              "summary: %d events in, %d results + %d dead letters out (%s)%n"
                  + accuracy
                  + "  throughput %.1f events/s over %.1f s%n"
                  + "  end-to-end latency p50 %d ms, p95 %d ms, p99 %d ms (event time to committed result)%n",
              events,
              results,
              deadLetters,
              results + deadLetters == events
                  ? "all accounted for"
                  : "MISSING " + (events - results - deadLetters),
              events / seconds,
              seconds,
              p50,
              p95,
              p99)
          + learning;
    }
  }

  /** Results kept by the moving accuracies of the continual view. */
  static final int WINDOW = 100;

  private final String bootstrap;
  private final String input;
  private final String results;
  private final String dead;
  private final DemoEvents images;
  private final long events;
  private final double rate;
  private final List<String> watched;
  private final PrintWriter out;
  private dev.clipstream.schemas.format.SchemaRegistrySettings registry;

  public DemoMonitor(
      String bootstrap,
      String input,
      String results,
      String dead,
      DemoEvents images,
      long events,
      double rate,
      List<String> watched,
      PrintWriter out) {
    this.bootstrap = bootstrap;
    this.input = input;
    this.results = results;
    this.dead = dead;
    this.images = images;
    this.events = events;
    this.rate = rate;
    this.watched = List.copyOf(watched);
    this.out = out;
  }

  /** Reads results written as confluent-avro with the ids of {@code registry} (null: none). */
  public DemoMonitor withRegistry(dev.clipstream.schemas.format.SchemaRegistrySettings registry) {
    this.registry = registry;
    return this;
  }

  public Summary run() throws InterruptedException {
    Thread producer = new Thread(this::produce, "demo-producer");
    producer.setDaemon(true);
    long start = System.nanoTime();
    producer.start();
    // Results in any output format: the demo's --output-format changes what the job writes.
    AnyFormatDecoder<TagResult> codec = AnyFormatDecoder.of(TagResult.class, registry);
    LatencyStats latency = new LatencyStats(100_000);
    Deque<String> lastTags = new ArrayDeque<>();
    long tags = 0;
    long letters = 0;
    long correct = 0;
    long labelled = 0;
    long lastProgress = System.nanoTime();
    ContinualView learning = new ContinualView(watched);
    long lastPrint = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      consumer.subscribe(List.of(results, dead));
      while (tags + letters < events) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          lastProgress = System.nanoTime();
          if (r.topic().equals(dead)) {
            letters++;
            continue;
          }
          TagResult tag = codec.decode(r.value()).value();
          tags++;
          latency.add(System.currentTimeMillis() - tag.getEventTime().toEpochMilli());
          long n =
              Long.parseLong(tag.getEventId().substring(tag.getEventId().lastIndexOf('-') + 1));
          String top = tag.getLabels().get(0).getLabel();
          java.util.Optional<String> truth = images.label(n);
          if (truth.isPresent()) {
            labelled++;
            correct += top.equals(truth.get()) ? 1 : 0;
            learning.add(tag, truth.get(), top.equals(truth.get()));
          }
          String wrong =
              truth.isEmpty() || top.equals(truth.get()) ? "" : " [true: " + truth.get() + "]";
          lastTags.addFirst(
              String.format(
                  "%s → %s (%.2f)%s",
                  tag.getEventId(), top, tag.getLabels().get(0).getScore(), wrong));
          if (lastTags.size() > 3) {
            lastTags.removeLast();
          }
        }
        if (System.nanoTime() - lastPrint > 1_000_000_000L) {
          lastPrint = System.nanoTime();
          double seconds = (lastPrint - start) / 1e9;
          if (!watched.isEmpty()) {
            out.printf(
                "\r%6d/%d tagged  %6.1f/s  p99 %5d ms  model %-20s %s %.2f, others %.2f (last %d)   ",
                tags + letters,
                events,
                (tags + letters) / seconds,
                latency.percentile(99),
                learning.version,
                String.join("/", watched),
                learning.watchedAccuracy(),
                learning.othersAccuracy(),
                WINDOW);
            out.flush();
            continue;
          }
          out.printf(
              "\r%6d/%d tagged  %6.1f/s  latency p50 %5d p95 %5d p99 %5d ms  accuracy %.3f  last: %s   ",
              tags + letters,
              events,
              (tags + letters) / seconds,
              latency.percentile(50),
              latency.percentile(95),
              latency.percentile(99),
              labelled == 0 ? Double.NaN : (double) correct / labelled,
              lastTags.isEmpty() ? "-" : lastTags.peekFirst());
          out.flush();
        }
        if (System.nanoTime() - lastProgress > STALL.toNanos()) {
          throw new IllegalStateException(
              "no results for " + STALL.toMinutes() + " minutes; see the Flink web UI");
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Summary(
        events,
        tags,
        letters,
        correct,
        labelled,
        seconds,
        latency.percentile(50),
        latency.percentile(95),
        latency.percentile(99),
        learning.toText());
  }

  private void produce() {
    SingleObjectCodec<ImageEvent> codec = SingleObjectCodec.of(ImageEvent.class);
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = LocalClients.producer(bootstrap)) {
      for (long n = 0; n < events; n++) {
        Pacing.awaitTurn(start, n, rate);
        ImageEvent event = images.event(n);
        producer.send(
            new ProducerRecord<>(
                input,
                event.getEventId().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                codec.encode(event)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    return LocalClients.readCommitted(bootstrap, "clipstream-demo-monitor");
  }
}
