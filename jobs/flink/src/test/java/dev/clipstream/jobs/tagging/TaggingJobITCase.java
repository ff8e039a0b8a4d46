package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.PreprocessOptions;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.zeroshot.ClipTextEmbedder;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.model.zeroshot.ZeroShotClassifier;
import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.FailureStage;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tagging topology on a real broker and MiniCluster with the real default model and real
 * images.
 */
class TaggingJobITCase {

  static final int IMAGES = 40;

  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension static final MiniClusterExtension FLINK = Pipelines.miniCluster(METRICS);

  @TempDir Path cache;

  @Test
  void tagsEveryImageAndDeadLettersTheBadOnesExactlyOnce() throws Exception {
    LabelledImages test =
        FashionMnist.load(FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), cache))
            .head(IMAGES);
    SingleObjectCodec<ImageEvent> events = SingleObjectCodec.of(ImageEvent.class);
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      values.add(
          events.encode(
              event(
                  "fm-" + i,
                  png(test, i),
                  i % 2 == 0 ? "a photo of a " + test.className(i) + "." : null)));
    }
    values.add(new byte[] {7, 7, 7});
    values.add(events.encode(event("not-an-image", "hello".getBytes(), null)));
    LabelSet labels = LabelSet.of("fashion-mnist", 1, FashionMnist.CLASSES);

    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Pipelines.createTopics(kafka, Pipelines.TOPICS);
      new KafkaTestClient(kafka.bootstrapServers()).produce("images", null, values);
      KafkaOptions options = KafkaOptions.of(kafka.bootstrapServers());
      StreamExecutionEnvironment env = Pipelines.environment(500);
      TaggingJob.onKafka(
          env,
          options,
          Pipelines.TOPICS,
          "tagging-test",
          true,
          new TaggingSettings(
              "", 28, new BatchingOptions(16, Duration.ofMillis(50)), labels, 3, ""));
      JobID jobId = env.execute("tagging-test").getJobID();

      KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
      List<ConsumerRecord<byte[], byte[]>> tags =
          client.readCommitted("tags", IMAGES, Duration.ofSeconds(60));
      List<ConsumerRecord<byte[], byte[]>> dead =
          client.readCommitted("dead", 2, Duration.ofSeconds(30));

      assertEquals(values.size(), tags.size() + dead.size(), "inputs = results + dead letters");
      Map<String, String> expected = expectedTopLabels(test, labels);
      SingleObjectCodec<TagResult> results = SingleObjectCodec.of(TagResult.class);
      Map<String, TagResult> byId = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : tags) {
        TagResult tag = results.decode(r.value()).value();
        assertEquals(tag.getEventId(), new String(r.key()));
        byId.put(tag.getEventId(), tag);
      }
      assertEquals(IMAGES, byId.size(), "each image tagged exactly once");
      int correct = 0;
      for (int i = 0; i < IMAGES; i++) {
        TagResult tag = byId.get("fm-" + i);
        assertEquals(
            expected.get("fm-" + i),
            tag.getLabels().get(0).getLabel(),
            "fm-" + i + " is labelled as the model labels it");
        correct += tag.getLabels().get(0).getLabel().equals(test.className(i)) ? 1 : 0;
        assertEquals(3, tag.getLabels().size());
        assertEquals(DefaultModel.version(), tag.getModelVersion());
        assertEquals(1L, tag.getLabelSetVersion());
        assertEquals(1.0, norm(tag.getImageEmbedding()), 1e-4);
        if (i % 2 == 0) {
          assertNotNull(tag.getCaptionSimilarity());
          assertEquals(1.0, norm(tag.getCaptionEmbedding()), 1e-4);
        } else {
          assertNull(tag.getCaptionSimilarity());
        }
      }
      assertTrue(correct >= 0.75 * IMAGES, correct + " of " + IMAGES + " right");
      SingleObjectCodec<DeadLetter> letters = SingleObjectCodec.of(DeadLetter.class);
      Map<FailureStage, Integer> stages = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : dead) {
        stages.merge(letters.decode(r.value()).value().getStage(), 1, Integer::sum);
      }
      assertEquals(Map.of(FailureStage.DESERIALIZE, 1, FailureStage.DECODE_IMAGE, 1), stages);

      // The same story in the job's metrics, as the web UI shows them.
      assertEquals(values.size(), Pipelines.total(METRICS, jobId, "eventsIn"));
      assertEquals(IMAGES, Pipelines.total(METRICS, jobId, "eventsOut"));
      assertEquals(IMAGES, Pipelines.total(METRICS, jobId, "endToEndLatencyMs"));
      assertEquals(1, Pipelines.total(METRICS, jobId, "deadLettersDeserialize"));
      assertEquals(1, Pipelines.total(METRICS, jobId, "deadLettersDecodeImage"));
      assertTrue(
          Pipelines.total(METRICS, jobId, "batchSize") >= IMAGES / 16, "batches were recorded");
    }
  }

  /** What the default model says of each image, computed directly, outside Flink. */
  static Map<String, String> expectedTopLabels(LabelledImages test, LabelSet labels) {
    Map<String, String> out = new HashMap<>();
    ImagePreprocessor pre = new ImagePreprocessor(PreprocessOptions.defaults(28));
    try (ClipModel model = DefaultModel.load();
        NDManager m = model.newBatchManager();
        ZeroShotClassifier classifier =
            new ZeroShotClassifier(new ClipTextEmbedder(model, ClipTokenizer.load()), m)) {
      for (int i = 0; i < test.count(); i++) {
        NDArray f =
            model.encodeImage(m.create(pre.preprocess(test.pixels(i)), new Shape(1, 3, 28, 28)));
        out.put(
            "fm-" + i,
            classifier
                .classify(f.div(f.norm()).reshape(1, -1), labels, "direct", model.logitScale(), 1)
                .get(0)
                .get(0)
                .label());
      }
    }
    return out;
  }

  static ImageEvent event(String id, byte[] image, String caption) {
    return ImageEvent.newBuilder()
        .setEventId(id)
        .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
        .setSource("test")
        .setImage(ByteBuffer.wrap(image))
        .setContentType("image/png")
        .setCaption(caption)
        .build();
  }

  static byte[] png(LabelledImages images, int i) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(images.toBufferedImage(i), "png", out);
    return out.toByteArray();
  }

  static double norm(List<Float> v) {
    double s = 0;
    for (float x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
