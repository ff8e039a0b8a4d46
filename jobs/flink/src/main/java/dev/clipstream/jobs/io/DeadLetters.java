package dev.clipstream.jobs.io;

import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.FailureStage;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.flink.util.OutputTag;

/** The side output every operator sends its rejects to, and how a reject is written. */
public final class DeadLetters {

  /** The side output of dead letters, shared by every operator that can reject an input. */
  public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters") {};

  private DeadLetters() {}

  /** A dead letter for {@code record}, keeping its original bytes. */
  public static DeadLetter of(
      KafkaRecord record, String eventId, FailureStage stage, String reason) {
    return DeadLetter.newBuilder()
        .setSourceTopic(record.topic)
        .setSourcePartition(record.partition)
        .setSourceOffset(record.offset)
        .setEventId(eventId)
        .setStage(stage)
        .setReason(reason)
        .setPayload(ByteBuffer.wrap(record.value))
        .setFailedTime(Instant.now())
        .build();
  }

  /**
   * A dead letter for the record at {@code origin}, with {@code payload} (its value) when the
   * operator still has it; without it the letter's payload is empty and its original size is {@code
   * origin}'s, as for a payload cut to nothing: the topic, partition and offset lead to the record.
   */
  public static DeadLetter of(
      RecordOrigin origin, byte[] payload, String eventId, FailureStage stage, String reason) {
    DeadLetter.Builder letter =
        DeadLetter.newBuilder()
            .setSourceTopic(origin.topic)
            .setSourcePartition(origin.partition)
            .setSourceOffset(origin.offset)
            .setEventId(eventId)
            .setStage(stage)
            .setReason(reason)
            .setPayload(ByteBuffer.wrap(payload == null ? new byte[0] : payload))
            .setFailedTime(Instant.now());
    if (payload == null && origin.valueBytes > 0) {
      letter.setOriginalPayloadBytes(origin.valueBytes);
    }
    return letter.build();
  }
}
