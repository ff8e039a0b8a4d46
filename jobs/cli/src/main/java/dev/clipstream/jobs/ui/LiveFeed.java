package dev.clipstream.jobs.ui;

import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.format.AnyFormatDecoder;
import dev.clipstream.schemas.wire.DecodeResult;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the results and dead-letter topics (read committed: only what the tagging job committed)
 * and the input topic (for thumbnails of results that carry none) into the page's state, on a
 * thread of its own, in whichever format each record was written (single-object Avro, JSON, or
 * Confluent-framed Avro with {@link UiSettings#registry()}). It starts {@link UiSettings#history()}
 * records before each partition's end, joins no consumer group and commits nothing, so it never
 * disturbs the jobs.
 */
final class LiveFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

  /** How often topics that did not exist yet are looked for again. */
  private static final Duration RECHECK = Duration.ofSeconds(2);

  private final UiSettings settings;
  private final FeedState state = new FeedState();
  private final ThroughputSeries series = new ThroughputSeries();
  private final Thumbnails thumbnails = new Thumbnails(20_000);
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final AnyFormatDecoder<TagResult> results;
  private final AnyFormatDecoder<DeadLetter> dead;
  private final AnyFormatDecoder<ImageEvent> images;
  private volatile boolean running = true;
  private volatile long unreadable;

  LiveFeed(UiSettings settings) {
    this.settings = settings;
    this.results = AnyFormatDecoder.of(TagResult.class, settings.registry());
    this.dead = AnyFormatDecoder.of(DeadLetter.class, settings.registry());
    this.images = AnyFormatDecoder.of(ImageEvent.class, settings.registry());
    Map<String, Object> config = new HashMap<>(settings.kafkaClient());
    config.put("key.deserializer", ByteArrayDeserializer.class);
    config.put("value.deserializer", ByteArrayDeserializer.class);
    config.put("isolation.level", "read_committed");
    config.put("enable.auto.commit", false);
    config.put("client.id", "clipstream-ui");
    this.consumer = new KafkaConsumer<>(config);
    this.thread = new Thread(this::run, "clipstream-ui-feed");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  FeedState state() {
    return state;
  }

  ThroughputSeries series() {
    return series;
  }

  Thumbnails thumbnails() {
    return thumbnails;
  }

  /** Records on the results or dead-letter topics that did not decode. */
  long unreadable() {
    return unreadable;
  }

  private void run() {
    Set<String> topics =
        Set.of(
            settings.topics().input(),
            settings.topics().results(),
            settings.topics().deadLetters());
    Set<String> assigned = new HashSet<>();
    long nextCheck = 0;
    try {
      while (running) {
        if (assigned.size() < topics.size() && System.currentTimeMillis() >= nextCheck) {
          assign(topics, assigned);
          nextCheck = System.currentTimeMillis() + RECHECK.toMillis();
        }
        if (assigned.isEmpty()) {
          Thread.sleep(RECHECK.toMillis());
          continue;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          take(r);
        }
      }
    } catch (WakeupException | InterruptedException stopping) {
      // close() asked us to stop.
    } catch (RuntimeException e) {
      LOG.error("the page's feed stopped: {}", e.toString(), e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Assigns the partitions of the topics that exist now, each from its last records. */
  private void assign(Set<String> topics, Set<String> assigned) {
    List<TopicPartition> added = new ArrayList<>();
    for (String topic : topics) {
      if (assigned.contains(topic)) {
        continue;
      }
      List<PartitionInfo> partitions;
      try {
        partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
      } catch (TimeoutException brokerNotReachedYet) {
        continue;
      }
      if (partitions == null || partitions.isEmpty()) {
        continue;
      }
      partitions.forEach(p -> added.add(new TopicPartition(topic, p.partition())));
      assigned.add(topic);
    }
    if (added.isEmpty()) {
      return;
    }
    List<TopicPartition> all = new ArrayList<>(consumer.assignment());
    all.addAll(added);
    consumer.assign(all);
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(added);
    Map<TopicPartition, Long> end = consumer.endOffsets(added);
    for (TopicPartition p : added) {
      consumer.seek(p, Math.max(begin.get(p), end.get(p) - settings.history()));
    }
  }

  private void take(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null) {
      return;
    }
    if (r.topic().equals(settings.topics().results())) {
      DecodeResult<TagResult> d = results.decode(r.value());
      if (d.isDecoded()) {
        TagResult result = d.value();
        state.add(result);
        series.result(r.timestamp(), result.getEventTime().toEpochMilli());
        String id = result.getEventId().toString();
        if (result.getThumbnail() != null && !thumbnails.contains(id)) {
          thumbnails.add(id, bytes(result.getThumbnail())); // the input's, if read later, wins
        }
      } else {
        unreadable++;
      }
    } else if (r.topic().equals(settings.topics().deadLetters())) {
      DecodeResult<DeadLetter> d = dead.decode(r.value());
      if (d.isDecoded()) {
        state.add(d.value());
        series.deadLetter(r.timestamp());
      } else {
        unreadable++;
      }
    } else {
      // Input events that do not decode are the tagging job's dead letters, not the page's concern.
      DecodeResult<ImageEvent> d = images.decode(r.value());
      if (d.isDecoded()) {
        thumbnails.add(d.value().getEventId().toString(), bytes(d.value().getImage()));
      }
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(Duration.ofSeconds(10).toMillis());
  }
}
