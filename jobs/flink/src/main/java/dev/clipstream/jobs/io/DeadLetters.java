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
}
