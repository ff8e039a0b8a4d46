package dev.clipstream.jobs.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.io.CapDeadLetterPayload;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.jobs.testing.PoisonInputs;
import dev.clipstream.jobs.testing.TaggingRuns;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every case of the poison catalogue, shuffled among good events, through the real tagging job on
 * the in-process broker and a MiniCluster: each input comes out exactly once, as a result or as the
 * dead letter its case expects, and no input makes the job restart.
 */
class PoisonStreamITCase {

  static final int GOOD = 12;

  /** Room for the 20 MB case on the broker and in every producer (default is about 1 MB). */
  static final String MAX_MESSAGE_BYTES = Integer.toString(32 * 1024 * 1024);

  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension static final MiniClusterExtension FLINK = Pipelines.miniCluster(METRICS);

  @TempDir Path cache;

  @Test
  void everyPoisonInputBecomesItsExpectedOutcomeOnceAndTheJobNeverRestarts() throws Exception {
    LabelledImages good =
        FashionMnist.load(FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), cache))
            .head(GOOD);
    List<PoisonInputs.Case> cases = PoisonInputs.all();
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < GOOD; i++) {
      values.add(PoisonInputs.event("good-" + i, png(good, i), i % 2 == 0 ? "a shoe" : null));
    }
    cases.forEach(c -> values.add(c.value()));
    Collections.shuffle(values, new Random(8));

    try (EmbeddedKafka kafka =
        EmbeddedKafka.start(Map.of("message.max.bytes", MAX_MESSAGE_BYTES))) {
      Pipelines.createTopics(kafka, Pipelines.TOPICS);
      Map<String, String> big = Map.of("max.request.size", MAX_MESSAGE_BYTES);
      KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers(), big);
      client.produce(Pipelines.TOPICS.input(), null, values);

      long started = System.nanoTime();
      JobID job =
          TaggingRuns.runBounded(
              new KafkaOptions(
                  kafka.bootstrapServers(), big, KafkaOptions.DEFAULT_TRANSACTION_TIMEOUT),
              Pipelines.TOPICS,
              "poison-stream");
      long jobMillis = (System.nanoTime() - started) / 1_000_000;

      long expectedResults = GOOD + cases.stream().filter(c -> c.expected().isResult()).count();
      long expectedLetters = cases.size() + GOOD - expectedResults;
      List<ConsumerRecord<byte[], byte[]>> tags =
          client.readCommitted("tags", (int) expectedResults, Duration.ofSeconds(60));
      List<ConsumerRecord<byte[], byte[]>> dead =
          client.readCommitted("dead", (int) expectedLetters, Duration.ofSeconds(60));

      assertEquals(values.size(), tags.size() + dead.size(), "inputs = results + dead letters");
      Map<String, TagResult> results = new HashMap<>();
      SingleObjectCodec<TagResult> resultCodec = SingleObjectCodec.of(TagResult.class);
      for (ConsumerRecord<byte[], byte[]> r : tags) {
        TagResult tag = resultCodec.decode(r.value()).value();
        assertNull(results.put(tag.getEventId(), tag), tag.getEventId() + " tagged twice");
      }
      Map<String, DeadLetter> letters = new HashMap<>();
      SingleObjectCodec<DeadLetter> letterCodec = SingleObjectCodec.of(DeadLetter.class);
      for (ConsumerRecord<byte[], byte[]> r : dead) {
        DeadLetter letter = letterCodec.decode(r.value()).value();
        String name = caseOf(cases, letter);
        assertNull(letters.put(name, letter), name + " dead-lettered twice");
      }

      long cut = letters.values().stream().filter(l -> l.getOriginalPayloadBytes() != null).count();
      long overCap =
          cases.stream()
              .filter(c -> !c.expected().isResult())
              .filter(c -> c.value().length > CapDeadLetterPayload.DEFAULT_MAX_PAYLOAD_BYTES)
              .count();
      assertTrue(overCap >= 1, "the 20 MB image is over the dead-letter payload cap");
      assertEquals(overCap, cut, "every letter over the cap is cut, no other");

      Map<String, String> table = new LinkedHashMap<>();
      for (int i = 0; i < GOOD; i++) {
        assertNotNull(results.get("good-" + i), "good-" + i + " tagged");
      }
      for (PoisonInputs.Case c : cases) {
        if (c.expected().isResult()) {
          TagResult tag = results.get(c.eventId());
          assertNotNull(tag, c + " must be tagged");
          assertEquals(3, tag.getLabels().size(), c.name());
          table.put(c.name(), "result, top label " + tag.getLabels().get(0).getLabel());
        } else {
          DeadLetter letter = letters.get(c.name());
          assertNotNull(letter, c + " must be dead-lettered");
          assertEquals(c.expected().stage(), letter.getStage(), c + ": " + letter.getReason());
          assertTrue(
              letter.getReason().contains(c.expected().reasonContains()),
              c + ": " + letter.getReason());
          table.put(c.name(), letter.getStage() + ", " + letter.getReason());
        }
      }
      assertNull(
          results
              .get(PoisonInputs.get(PoisonInputs.EMPTY_CAPTION).eventId())
              .getCaptionSimilarity(),
          "an empty caption is no caption");
      assertNotNull(
          results
              .get(PoisonInputs.get(PoisonInputs.MANY_SCRIPTS_CAPTION).eventId())
              .getCaptionSimilarity(),
          "a caption in many scripts is encoded");

      assertEquals(0, Pipelines.restarts(METRICS, job), "no input made the job restart");
      assertEquals(values.size(), Pipelines.total(METRICS, job, "eventsIn"));
      assertEquals(expectedResults, Pipelines.total(METRICS, job, "eventsOut"));

      System.out.printf(
          "poison stream: %d inputs (%d good, %d poison) -> %d results + %d dead letters,"
              + " %d restarts, job %d ms%n",
          values.size(),
          GOOD,
          cases.size(),
          tags.size(),
          dead.size(),
          Pipelines.restarts(METRICS, job),
          jobMillis);
      table.forEach((name, outcome) -> System.out.printf("  %-36s %s%n", name, outcome));
    }
  }

  /**
   * The name of the poison case whose Kafka value the letter carries: whole, or (a letter cut at
   * the payload limit) its first bytes and its recorded original size.
   */
  static String caseOf(List<PoisonInputs.Case> cases, DeadLetter letter) {
    byte[] payload = bytes(letter.getPayload());
    Integer original = letter.getOriginalPayloadBytes();
    if (original != null) {
      assertEquals(
          CapDeadLetterPayload.DEFAULT_MAX_PAYLOAD_BYTES, payload.length, "cut at the cap");
    }
    return cases.stream()
        .filter(
            c ->
                original == null
                    ? Arrays.equals(c.value(), payload)
                    : c.value().length == original
                        && Arrays.equals(Arrays.copyOf(c.value(), payload.length), payload))
        .findFirst()
        .orElseThrow(() -> new AssertionError("a dead letter of no poison case"))
        .name();
  }

  static byte[] png(LabelledImages images, int i) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(images.toBufferedImage(i), "png", out);
    return out.toByteArray();
  }

  static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
