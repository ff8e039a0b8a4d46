package dev.clipstream.jobs.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.DemoImages;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.tagging.BatchingOptions;
import dev.clipstream.jobs.tagging.TaggingJob;
import dev.clipstream.jobs.tagging.TaggingSettings;
import dev.clipstream.jobs.tagging.TaggingTopics;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The one place the reliability tests start the tagging job, so a change to its wiring (a control
 * source, say) is made here once.
 */
public final class TaggingRuns {
  private TaggingRuns() {}

  /** The default model at 28 px, batches of 16 or 50 ms, Fashion-MNIST's ten labels, top 3. */
  public static TaggingSettings settings() {
    return new TaggingSettings(
        "",
        28,
        new BatchingOptions(16, Duration.ofMillis(50)),
        LabelSet.of("fashion-mnist", 1, FashionMnist.CLASSES),
        3,
        "");
  }

  /** Runs the tagging job over what is on {@code topics.input()} now, and waits for it to end. */
  public static JobID runBounded(KafkaOptions kafka, TaggingTopics topics, String groupId)
      throws Exception {
    StreamExecutionEnvironment env = Pipelines.environment(500);
    TaggingJob.onKafka(env, kafka, topics, groupId, true, settings());
    return env.execute(groupId).getJobID();
  }

  /** The first {@code count} images of the bundled Fashion-MNIST test split, as demo events. */
  public static DemoImages testImages(Path cache, int count) throws IOException {
    return new DemoImages(
        FashionMnist.load(FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), cache))
            .head(count));
  }

  /**
   * A broker with the {@link Pipelines#TOPICS} topics and the first {@code count} events of {@code
   * images} on the input topic; returns a client of it.
   */
  public static KafkaTestClient brokerWithInput(EmbeddedKafka kafka, DemoImages images, int count)
      throws Exception {
    Pipelines.createTopics(kafka, Pipelines.TOPICS);
    KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
    client.produce(Pipelines.TOPICS.input(), null, imageEvents(images, 0, count));
    return client;
  }

  /** Encoded image events {@code from} (inclusive) to {@code to} (exclusive) of {@code images}. */
  public static List<byte[]> imageEvents(DemoImages images, int from, int to) {
    SingleObjectCodec<ImageEvent> codec = SingleObjectCodec.of(ImageEvent.class);
    List<byte[]> out = new ArrayList<>();
    for (int n = from; n < to; n++) {
      out.add(codec.encode(images.event(n)));
    }
    return out;
  }

  /**
   * Asserts that {@code results}, keyed by event id, hold {@code inputs} distinct ids once each.
   */
  public static void assertExactlyOnce(List<ConsumerRecord<byte[], byte[]>> results, int inputs) {
    Set<String> ids = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : results) {
      ids.add(new String(r.key(), StandardCharsets.UTF_8));
    }
    assertEquals(inputs, ids.size(), "every input has a result");
    assertEquals(inputs, results.size(), "and none has two");
  }
}
