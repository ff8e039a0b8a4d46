package dev.clipstream.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.FailureStage;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka edge on a real broker and MiniCluster: every input comes out once, as an event or a
 * dead letter.
 */
class DecodeEventITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Pipelines.miniCluster();

  @Test
  void everyInputBecomesAnEventOrADeadLetterExactlyOnce() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopics(
          List.of(
              new NewTopic("in", 2, (short) 1),
              new NewTopic("out", 1, (short) 1),
              new NewTopic("dlq", 1, (short) 1)));
      SingleObjectCodec<ImageEvent> codec = SingleObjectCodec.of(ImageEvent.class);
      List<byte[]> values = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        values.add(codec.encode(event("e" + i)));
      }
      values.add(new byte[] {1, 2, 3});
      values.add("not avro at all".getBytes());
      byte[] truncated = codec.encode(event("cut"));
      values.add(java.util.Arrays.copyOf(truncated, truncated.length - 3));
      new KafkaTestClient(kafka.bootstrapServers()).produce("in", null, values);

      KafkaOptions options = KafkaOptions.of(kafka.bootstrapServers());
      StreamExecutionEnvironment env = Pipelines.environment(500);
      SingleOutputStreamOperator<SourcedEvent> decoded =
          env.fromSource(
                  KafkaConnections.rawSource(options, "in", "decode-test", true),
                  WatermarkStrategy.noWatermarks(),
                  "kafka-in")
              .process(new DecodeEvent())
              .name("decode-event");
      decoded
          .map(s -> s.event)
          .returns(ImageEvent.class)
          .sinkTo(
              KafkaConnections.exactlyOnceSink(
                  options, ImageEvent.class, "out", ImageEvent::getEventId, "decode-test-out"));
      decoded
          .getSideOutput(DeadLetters.TAG)
          .sinkTo(
              KafkaConnections.exactlyOnceSink(
                  options, DeadLetter.class, "dlq", d -> null, "decode-test-dlq"));
      env.execute("decode-event-test");

      KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
      List<ConsumerRecord<byte[], byte[]>> out =
          client.readCommitted("out", 40, Duration.ofSeconds(30));
      List<ConsumerRecord<byte[], byte[]>> dlq =
          client.readCommitted("dlq", 3, Duration.ofSeconds(30));

      assertEquals(values.size(), out.size() + dlq.size(), "inputs = outputs + dead letters");
      Set<String> ids = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> r : out) {
        ImageEvent e = codec.decode(r.value()).value();
        assertEquals(e.getEventId(), new String(r.key()), "results are keyed by event id");
        ids.add(e.getEventId());
      }
      assertEquals(40, ids.size(), "each event exactly once");
      SingleObjectCodec<DeadLetter> letters = SingleObjectCodec.of(DeadLetter.class);
      Set<String> reasons = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> r : dlq) {
        DeadLetter d = letters.decode(r.value()).value();
        assertEquals(FailureStage.DESERIALIZE, d.getStage());
        assertEquals("in", d.getSourceTopic());
        assertTrue(d.getPayload().remaining() > 0, "the original bytes are kept");
        reasons.add(d.getReason().split(":")[0]);
      }
      assertEquals(Set.of("TOO_SHORT", "WRONG_MARKER", "TRUNCATED_BODY"), reasons);
    }
  }

  static ImageEvent event(String id) {
    return ImageEvent.newBuilder()
        .setEventId(id)
        .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
        .setSource("test")
        .setImage(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}))
        .setContentType("image/png")
        .build();
  }
}
