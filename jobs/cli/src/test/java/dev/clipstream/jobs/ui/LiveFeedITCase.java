package dev.clipstream.jobs.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.model.preprocess.JpegEncoder;
import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.FailureStage;
import dev.clipstream.schemas.LabelScore;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.format.JsonCodec;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's feed reads results and dead letters in whichever format they were written (a JSON
 * result beside a single-object Avro dead letter on the same run), counts what it cannot read, and
 * shows a result's own thumbnail when it has not read the event's input image.
 */
class LiveFeedITCase {

  @TempDir Path dir;

  @Test
  void readsJsonAndAvroRecordsAndShowsTheResultsOwnThumbnail() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Pipelines.createTopics(kafka, Pipelines.TOPICS);
      byte[] thumbnail = JpegEncoder.encode(picture(48, 32), 0.9f);
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", kafka.bootstrapServers()),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        producer.send(
            new ProducerRecord<>(
                Pipelines.TOPICS.results(),
                JsonCodec.of(TagResult.class).encode(result("evt-json", thumbnail))));
        producer.send(
            new ProducerRecord<>(
                Pipelines.TOPICS.deadLetters(),
                SingleObjectCodec.of(DeadLetter.class).encode(deadLetter())));
        producer.send(
            new ProducerRecord<>(Pipelines.TOPICS.results(), new byte[] {'n', 'o', 'p', 'e'}));
        producer.flush();
      }
      try (LiveFeed feed =
          new LiveFeed(UiSettings.local(kafka.bootstrapServers(), Pipelines.TOPICS, dir, 0))) {
        feed.start();
        long until = System.nanoTime() + 60_000_000_000L; // a deadline to give up, not a bound
        while ((feed.state().resultCount() < 1
                || feed.state().deadLetterCount() < 1
                || feed.unreadable() < 1)
            && System.nanoTime() < until) {
          Thread.sleep(100);
        }
        assertEquals(1, feed.state().resultCount(), "the JSON result");
        assertEquals(1, feed.state().deadLetterCount(), "the single-object Avro dead letter");
        assertEquals(1, feed.unreadable(), "the record that is neither");
        assertEquals("evt-json", feed.state().newest().eventId());
        byte[] png = feed.thumbnails().get("evt-json").orElseThrow();
        BufferedImage shown = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(48, shown.getWidth());
        assertEquals(32, shown.getHeight());
      }
    }
  }

  /** A picture with a gradient, so the JPEG has something to keep. */
  static BufferedImage picture(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, (x * 5) << 16 | (y * 7) << 8 | 90);
      }
    }
    return image;
  }

  static TagResult result(String eventId, byte[] thumbnail) {
    Instant t = Instant.parse("2026-12-01T12:00:00Z");
    return TagResult.newBuilder()
        .setEventId(eventId)
        .setEventTime(t)
        .setProcessingTime(t.plusMillis(40))
        .setModelVersion("default-1")
        .setImageEmbedding(List.of(0.6f, -0.8f))
        .setCaptionEmbedding(null)
        .setCaptionSimilarity(null)
        .setLabels(List.of(new LabelScore("Sneaker", 0.75f)))
        .setLabelSet("fashion-mnist")
        .setLabelSetVersion(3L)
        .setCaption(null)
        .setThumbnail(ByteBuffer.wrap(thumbnail))
        .build();
  }

  static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setSourceTopic(Pipelines.TOPICS.input())
        .setSourcePartition(0)
        .setSourceOffset(7L)
        .setEventId(null)
        .setStage(FailureStage.DESERIALIZE)
        .setReason("TOO_SHORT: 3 bytes")
        .setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .setFailedTime(Instant.parse("2026-12-01T12:00:01Z"))
        .build();
  }
}
