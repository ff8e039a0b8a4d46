package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.model.confidence.UnknownRule;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tagging job on a real broker and MiniCluster judging its results: reposts of earlier images
 * are flagged with the earlier event's id, and results below the unknown threshold say unknown.
 */
class TaggingJobJudgementITCase {

  static final int ORIGINALS = 20;
  static final int REPOSTS = 10;
  static final float MIN_PROBABILITY = 0.9f;

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      Pipelines.miniCluster(InMemoryReporter.createWithRetainedMetrics());

  @TempDir Path cache;

  @Test
  void flagsRepostsAndSaysUnknownWhenUnsure() throws Exception {
    LabelledImages test =
        FashionMnist.load(FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), cache))
            .head(ORIGINALS);
    SingleObjectCodec<ImageEvent> events = SingleObjectCodec.of(ImageEvent.class);
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < ORIGINALS; i++) {
      values.add(
          events.encode(TaggingJobITCase.event("fm-" + i, TaggingJobITCase.png(test, i), null)));
    }
    for (int i = 0; i < REPOSTS; i++) {
      values.add(
          events.encode(TaggingJobITCase.event("re-" + i, TaggingJobITCase.png(test, i), null)));
    }
    ResultOptions judge =
        new ResultOptions(new UnknownRule(MIN_PROBABILITY, 0f), 100, 0.95f, 0.5f, true);

    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Pipelines.createTopics(kafka, Pipelines.TOPICS);
      new KafkaTestClient(kafka.bootstrapServers()).produce("images", null, values);
      StreamExecutionEnvironment env = Pipelines.environment(500);
      TaggingJob.onKafka(
          env,
          KafkaOptions.of(kafka.bootstrapServers()),
          Pipelines.TOPICS,
          "judgement-test",
          true,
          new TaggingSettings(
                  "",
                  28,
                  new BatchingOptions(8, Duration.ofMillis(50)),
                  LabelSet.of("fashion-mnist", 1, FashionMnist.CLASSES),
                  3,
                  "")
              .withResults(judge));
      env.execute("judgement-test");

      List<ConsumerRecord<byte[], byte[]>> tags =
          new KafkaTestClient(kafka.bootstrapServers())
              .readCommitted("tags", values.size(), Duration.ofSeconds(60));
      SingleObjectCodec<TagResult> results = SingleObjectCodec.of(TagResult.class);
      Map<String, TagResult> byId = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : tags) {
        TagResult tag = results.decode(r.value()).value();
        byId.put(tag.getEventId(), tag);
      }
      assertEquals(values.size(), byId.size(), "each event tagged exactly once");

      for (int i = 0; i < REPOSTS; i++) {
        TagResult original = byId.get("fm-" + i);
        TagResult repost = byId.get("re-" + i);
        // Partitions may deliver a repost before its original: then the original is the later one.
        boolean linked =
            ("fm-" + i).equals(str(repost.getDuplicateOf()))
                || ("re-" + i).equals(str(original.getDuplicateOf()));
        assertTrue(linked, "re-" + i + " and fm-" + i + " are flagged as one image");
      }
      int unknown = 0;
      for (TagResult tag : byId.values()) {
        boolean unsure = tag.getLabels().get(0).getScore() < MIN_PROBABILITY;
        assertEquals(unsure, tag.getUnknown(), tag.getEventId() + " unknown iff unsure");
        assertEquals(3, tag.getLabels().size(), "an unknown result keeps its top k");
        unknown += tag.getUnknown() ? 1 : 0;
      }
      System.out.printf(
          "judgement: %d results, %d unknown (top probability < %.2f), %d flagged near-duplicates%n",
          byId.size(),
          unknown,
          MIN_PROBABILITY,
          byId.values().stream().filter(t -> t.getDuplicateOf() != null).count());
    }
  }

  private static String str(CharSequence s) {
    return s == null ? null : s.toString();
  }
}
