package dev.clipstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.cli.ClipstreamCliTest.Run;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code examples publish} against a real broker: labelled events keyed by label and content. */
class ExamplesCommandITCase {

  @TempDir Path dir;

  @Test
  void publishesImageFilesAsLabelledExamplesKeyedByContent() throws Exception {
    ImageIO.write(
        new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("a.png").toFile());
    BufferedImage white = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
    white.getRaster().setDataElements(0, 0, 8, 8, new byte[64]);
    white.getGraphics().fillRect(0, 0, 8, 8);
    ImageIO.write(white, "jpg", dir.resolve("b.jpg").toFile());

    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopics(List.of(new NewTopic("examples", 1, (short) 1)));
      Run publish =
          ClipstreamCliTest.run(
              "examples",
              "publish",
              "--bootstrap-servers",
              kafka.bootstrapServers(),
              "--label",
              "Ankle boot",
              dir.resolve("a.png").toString(),
              dir.resolve("b.jpg").toString());
      assertEquals(0, publish.exitCode(), publish.err());
      assertTrue(publish.out().contains("published 2 examples of 'Ankle boot'"), publish.out());

      List<ConsumerRecord<byte[], byte[]>> records =
          new KafkaTestClient(kafka.bootstrapServers())
              .readCommitted("examples", 2, Duration.ofSeconds(30));
      assertEquals(2, records.size());
      Set<String> keys = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> r : records) {
        ImageEvent e = SingleObjectCodec.of(ImageEvent.class).decode(r.value()).value();
        assertEquals("Ankle boot", e.getLabel());
        assertEquals(new String(r.key(), StandardCharsets.UTF_8), e.getEventId());
        keys.add(e.getEventId());
        Path file = dir.resolve(e.getContentType().equals("image/png") ? "a.png" : "b.jpg");
        assertArrayEquals(Files.readAllBytes(file), bytes(e.getImage()));
      }
      assertEquals(2, keys.size(), "two images, two keys");

      Run missing =
          ClipstreamCliTest.run(
              "examples",
              "publish",
              "--bootstrap-servers",
              kafka.bootstrapServers(),
              "--label",
              "Bag",
              dir.resolve("none.png").toString());
      assertEquals(ClipstreamCli.EXIT_USAGE, missing.exitCode(), missing.out() + missing.err());
      assertEquals(1, missing.err().strip().lines().count(), missing.err());
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
