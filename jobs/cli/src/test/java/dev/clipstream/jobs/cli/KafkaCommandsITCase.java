package dev.clipstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.cli.ClipstreamCliTest.Run;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.tagging.TaggingTopics;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.LabelScore;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** produce and consume against a real broker. */
class KafkaCommandsITCase {

  @TempDir Path dir;

  @Test
  void producesAFolderOfImagesWithSidecarCaptionsAndConsumesResults() throws Exception {
    for (String name : new String[] {"a.png", "b.png", "c.jpg"}) {
      ImageIO.write(
          new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB),
          name.endsWith("png") ? "png" : "jpg",
          dir.resolve(name).toFile());
    }
    Files.writeString(dir.resolve("b.txt"), "a photo of a bag.\n");
    Files.writeString(dir.resolve("notes.md"), "not an image");

    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopics(
          List.of(new NewTopic("images", 1, (short) 1), new NewTopic("image-tags", 1, (short) 1)));

      Run produce =
          ClipstreamCliTest.run(
              "produce",
              "--bootstrap-servers",
              kafka.bootstrapServers(),
              "--input",
              dir.toString());

      assertEquals(0, produce.exitCode(), produce.err());
      assertTrue(produce.out().contains("sent 3 images"), produce.out());

      // A job whose topics are not all there says so in one line instead of waiting for them.
      Run job =
          ClipstreamCliTest.run(
              "job", "tagging", "--bootstrap-servers", kafka.bootstrapServers(), "--bounded");
      assertEquals(ClipstreamCli.EXIT_USAGE, job.exitCode(), job.out() + job.err());
      assertTrue(
          job.err().contains("missing topics image-dead-letters, label-sets, model-updates"),
          job.err());
      assertEquals(1, job.err().strip().lines().count(), job.err());
      SingleObjectCodec<ImageEvent> events = SingleObjectCodec.of(ImageEvent.class);
      Map<String, ImageEvent> byId = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r :
          new KafkaTestClient(kafka.bootstrapServers())
              .readCommitted("images", 3, Duration.ofSeconds(20))) {
        ImageEvent e = events.decode(r.value()).value();
        byId.put(e.getEventId(), e);
      }
      assertEquals(3, byId.size());
      assertEquals("a photo of a bag.", byId.get("b.png").getCaption());
      assertNull(byId.get("a.png").getCaption());
      assertEquals("image/jpeg", byId.get("c.jpg").getContentType());

      SingleObjectCodec<TagResult> tags = SingleObjectCodec.of(TagResult.class);
      new KafkaTestClient(kafka.bootstrapServers())
          .produce(
              "image-tags", null, List.of(tags.encode(tag("a.png")), tags.encode(tag("b.png"))));

      Run consume =
          ClipstreamCliTest.run(
              "consume", "--bootstrap-servers", kafka.bootstrapServers(), "--max", "2");

      assertEquals(0, consume.exitCode(), consume.err());
      String[] lines = consume.out().strip().split("\n");
      assertEquals(2, lines.length, consume.out());
      assertTrue(
          lines[0].contains("\"eventId\":\"a.png\"") && lines[0].contains("\"label\":\"Bag\""),
          lines[0]);
    }
  }

  @Test
  void runsTheTaggingJobFromTheCommandLineOnARealKafka() throws Exception {
    var test =
        dev.clipstream.model.data.FashionMnist.load(
            dev.clipstream.model.data.FashionMnist.Split.TEST,
            new dev.clipstream.model.data.DatasetLocator(
                java.util.Optional.empty(), dir.resolve("cache")));
    Path images = Files.createDirectories(dir.resolve("images"));
    for (int i = 0; i < 4; i++) {
      ImageIO.write(test.toBufferedImage(i), "png", images.resolve("fm-" + i + ".png").toFile());
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      TaggingTopics topics =
          new TaggingTopics(
              "uploads", "image-tags", "image-dead-letters", "label-sets", "model-updates");
      kafka.createTopics(topics.definitions(1, (short) 1));
      assertEquals(
          0,
          ClipstreamCliTest.run(
                  "produce",
                  "--bootstrap-servers",
                  kafka.bootstrapServers(),
                  "--input",
                  images.toString(),
                  "--topic",
                  "uploads")
              .exitCode());

      Run job =
          ClipstreamCliTest.run(
              "job",
              "tagging",
              "--bootstrap-servers",
              kafka.bootstrapServers(),
              "--bounded",
              "--set",
              "topics.input=uploads",
              "--set",
              "batch.max-size=4");

      assertEquals(0, job.exitCode(), job.out() + job.err());
      Run consume =
          ClipstreamCliTest.run(
              "consume",
              "--bootstrap-servers",
              kafka.bootstrapServers(),
              "--max",
              "4",
              "--timeout-seconds",
              "20");
      String[] lines = consume.out().strip().split("\n");
      assertEquals(4, lines.length, consume.out());
      assertTrue(consume.out().contains("\"eventId\":\"fm-0.png\""), consume.out());
    }
  }

  @Test
  void publishesALabelSetAndAModelUpdateForRunningJobs() throws Exception {
    Path store = Files.createDirectories(dir.resolve("store"));
    Path weights = dir.resolve("candidate.safetensors");
    dev.clipstream.model.DefaultModel.copyTo(dev.clipstream.model.DefaultModel.WEIGHTS, weights);
    Path privateKey = dir.resolve("control.key");
    Path publicKey = dir.resolve("control.pub");
    Run keys =
        ClipstreamCliTest.run(
            "keys",
            "generate",
            "--private",
            privateKey.toString(),
            "--public",
            publicKey.toString());
    assertEquals(0, keys.exitCode(), keys.err());
    Run again =
        ClipstreamCliTest.run(
            "keys",
            "generate",
            "--private",
            privateKey.toString(),
            "--public",
            publicKey.toString());
    assertEquals(ClipstreamCli.EXIT_USAGE, again.exitCode());
    assertTrue(again.err().contains("not overwriting a key"), again.err());
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopics(TaggingTopics.defaults().definitions(1, (short) 1));

      Run labels =
          ClipstreamCliTest.run(
              "labels",
              "publish",
              "--bootstrap-servers",
              kafka.bootstrapServers(),
              "--version",
              "2",
              "--labels",
              "shoe, bag,shirt",
              "--signing-key",
              privateKey.toString());
      Run model =
          ClipstreamCliTest.run(
              "model",
              "publish",
              "--bootstrap-servers",
              kafka.bootstrapServers(),
              "--weights",
              weights.toString(),
              "--store",
              store.toString(),
              "--version",
              "candidate-1",
              "--signing-key",
              privateKey.toString());
      Run bad =
          ClipstreamCliTest.run(
              "labels",
              "publish",
              "--bootstrap-servers",
              kafka.bootstrapServers(),
              "--version",
              "3",
              "--labels",
              "shoe,shoe");

      assertEquals(0, labels.exitCode(), labels.err());
      assertEquals(0, model.exitCode(), model.err());
      assertEquals(ClipstreamCli.EXIT_USAGE, bad.exitCode());
      assertTrue(bad.err().contains("names 'shoe' twice"), bad.err());
      KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
      byte[] setBytes =
          client.readCommitted("label-sets", 1, Duration.ofSeconds(30)).get(0).value();
      byte[] updateBytes =
          client.readCommitted("model-updates", 1, Duration.ofSeconds(30)).get(0).value();
      // A tagging job trusting the generated public key accepts both messages as signed.
      dev.clipstream.jobs.control.ControlCheck check =
          new dev.clipstream.jobs.control.ControlCheck(
              dev.clipstream.jobs.control.ControlPolicy.trusting(
                  new dev.clipstream.jobs.control.TrustedKeys(
                      dev.clipstream.jobs.control.ControlKeys.readPublic(List.of(publicKey)))));
      assertTrue(
          check.labelSet(setBytes) instanceof dev.clipstream.jobs.control.ControlCheck.Accepted,
          check.labelSet(setBytes).toString());
      assertTrue(
          check.modelUpdate(updateBytes)
              instanceof dev.clipstream.jobs.control.ControlCheck.Accepted,
          check.modelUpdate(updateBytes).toString());
      dev.clipstream.schemas.LabelSetDefinition set =
          SingleObjectCodec.of(dev.clipstream.schemas.LabelSetDefinition.class)
              .decode(setBytes)
              .value();
      assertEquals("fashion-mnist", set.getName().toString());
      assertEquals(2, set.getVersion());
      assertEquals(3, set.getLabels().size());
      dev.clipstream.schemas.ModelUpdate update =
          SingleObjectCodec.of(dev.clipstream.schemas.ModelUpdate.class)
              .decode(updateBytes)
              .value();
      assertEquals("candidate-1", update.getModelVersion().toString());
      Path copied = store.resolve(update.getCheckpointUri().toString());
      assertEquals(
          dev.clipstream.jobs.control.ModelStore.sha256Of(weights),
          update.getWeightsSha256().toString());
      assertEquals(
          update.getWeightsSha256().toString(),
          dev.clipstream.jobs.control.ModelStore.sha256Of(copied),
          "the store holds the announced bytes");
    }
  }

  static TagResult tag(String id) {
    return TagResult.newBuilder()
        .setEventId(id)
        .setEventTime(Instant.ofEpochMilli(1000))
        .setProcessingTime(Instant.ofEpochMilli(1040))
        .setModelVersion("m")
        .setImageEmbedding(List.of(1f, 0f))
        .setLabels(List.of(new LabelScore("Bag", 0.9f)))
        .setLabelSet("fashion")
        .setLabelSetVersion(1L)
        .build();
  }
}
